using System.Formats.Tar;
using ProviderAgent.Images;
using ProviderAgent.Tests.Support;

namespace ProviderAgent.Tests.Images;

/// <summary>Hostile or broken archives are refused with a message naming the problem, and write nothing outside the store.</summary>
public sealed class ImageSafetyTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly ImageStore _store;

    public ImageSafetyTests() => _store = new ImageStore(Path.Combine(_dir.Path, "data"));

    public void Dispose() => _dir.Dispose();

    private ImageImportException Refused(byte[] layer)
    {
        string tar = _dir.File($"evil-{Guid.NewGuid():N}.tar");
        TestImages.WriteDockerSave(tar, [layer]);
        var e = Assert.Throws<ImageImportException>(() => _store.Import(tar));
        Assert.Empty(_store.List());
        AssertNoStagingLeft();
        return e;
    }

    private void AssertNoStagingLeft() =>
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_dir.Path, "data", "tmp")));

    [Fact]
    public void Dot_dot_entries_are_refused()
    {
        var e = Refused(TestImages.Layer(w => TestImages.File(w, "../escaped", "x")));
        Assert.Contains("path traversal", e.Message);
        Assert.False(File.Exists(Path.Combine(_dir.Path, "data", "images", "escaped")));
    }

    [Fact]
    public void Absolute_entries_are_refused()
    {
        var e = Refused(TestImages.Layer(w => TestImages.File(w, "/tmp/pa-absolute-escape", "x")));
        Assert.Contains("absolute path", e.Message);
        Assert.False(File.Exists("/tmp/pa-absolute-escape"));
    }

    [Fact]
    public void Symlinks_climbing_out_of_the_rootfs_are_refused()
    {
        var e = Refused(TestImages.Layer(w =>
            w.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "etc/evil") { LinkName = "../../../../../../etc/shadow" })));
        Assert.Contains("escapes the rootfs", e.Message);
    }

    [Fact]
    public void Writing_through_a_symlinked_directory_is_refused()
    {
        string outside = Path.Combine(_dir.Path, "outside");
        Directory.CreateDirectory(outside);
        var e = Refused(TestImages.Layer(w =>
        {
            // An absolute link is harmless inside the container, but must never be followed on the host.
            w.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "d") { LinkName = outside });
            TestImages.File(w, "d/planted", "x");
        }));
        Assert.Contains("through a symlink", e.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(outside));
    }

    [Fact]
    public void A_file_replacing_a_planted_symlink_does_not_follow_it()
    {
        string victim = Path.Combine(_dir.Path, "victim");
        File.WriteAllText(victim, "original");
        string tar = _dir.File("replace.tar");
        TestImages.WriteDockerSave(tar, [
            TestImages.Layer(w => w.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "f") { LinkName = victim })),
            TestImages.Layer(w => TestImages.File(w, "f", "overwritten?")),
        ]);
        var image = _store.Import(tar);
        Assert.Equal("original", File.ReadAllText(victim));
        Assert.Equal("overwritten?", File.ReadAllText(Path.Combine(image.RootfsPath, "f")));
    }

    [Fact]
    public void Oversize_archives_are_refused()
    {
        var small = new ImageStore(Path.Combine(_dir.Path, "small"), new ImportLimits(MaxArchiveBytes: 4096));
        string tar = _dir.File("big.tar");
        TestImages.WriteDockerSave(tar, [TestImages.BusyboxLayer]);
        var e = Assert.Throws<ImageImportException>(() => small.Import(tar));
        Assert.Contains("over the limit", e.Message);
    }

    [Fact]
    public void Oversize_unpacked_layers_are_refused()
    {
        var small = new ImageStore(Path.Combine(_dir.Path, "small"), new ImportLimits(MaxUnpackedBytes: 100_000));
        string tar = _dir.File("big.tar");
        TestImages.WriteDockerSave(tar, [TestImages.BusyboxLayer]);
        var e = Assert.Throws<ImageImportException>(() => small.Import(tar));
        Assert.Contains("unpacked size exceeds", e.Message);
    }

    [Fact]
    public void Garbage_is_not_a_tar_archive()
    {
        string path = _dir.File("garbage.tar");
        File.WriteAllBytes(path, Enumerable.Range(0, 3000).Select(i => (byte)(i * 7 + 13)).ToArray());
        var e = Assert.Throws<ImageImportException>(() => _store.Import(path));
        Assert.Contains("tar", e.Message);
        AssertNoStagingLeft();
    }

    [Fact]
    public void An_archive_without_manifest_or_index_is_refused()
    {
        string path = _dir.File("nomanifest.tar");
        using (var f = File.Create(path))
        using (var w = new TarWriter(f)) TestImages.File(w, "hello.txt", "hi");
        var e = Assert.Throws<ImageImportException>(() => _store.Import(path));
        Assert.Contains("neither manifest.json", e.Message);
    }

    [Fact]
    public void A_manifest_naming_a_missing_layer_is_refused()
    {
        string path = _dir.File("missing-layer.tar");
        using (var f = File.Create(path))
        using (var w = new TarWriter(f))
        {
            TestImages.File(w, "manifest.json", """[{"Config":"c.json","RepoTags":["x:y"],"Layers":["nope/layer.tar"]}]""");
            TestImages.File(w, "c.json", TestImages.Config());
        }
        var e = Assert.Throws<ImageImportException>(() => _store.Import(path));
        Assert.Contains("layer 'nope/layer.tar' is missing", e.Message);
    }

    [Fact]
    public void Invalid_json_is_refused()
    {
        string path = _dir.File("badjson.tar");
        using (var f = File.Create(path))
        using (var w = new TarWriter(f)) TestImages.File(w, "manifest.json", "{not json");
        var e = Assert.Throws<ImageImportException>(() => _store.Import(path));
        Assert.Contains("invalid JSON", e.Message);
    }

    [Fact]
    public void An_oci_blob_that_does_not_match_its_digest_is_refused()
    {
        string path = _dir.File("tampered.tar");
        TestImages.WriteOci(path, [TestImages.BusyboxLayer], corruptBlob: true);
        var e = Assert.Throws<ImageImportException>(() => _store.Import(path));
        Assert.Contains("does not match its content", e.Message);
    }

    [Fact]
    public void Invalid_names_are_refused()
    {
        string tar = _dir.File("bb.tar");
        TestImages.WriteDockerSave(tar, [TestImages.Layer(w => TestImages.File(w, "x", "y"))]);
        Assert.Throws<ArgumentException>(() => _store.Import(tar, "UPPER/case:tag"));
        Assert.Throws<ArgumentException>(() => _store.Import(tar, "name:bad tag"));
    }
}

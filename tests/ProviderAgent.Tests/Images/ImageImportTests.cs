using System.Formats.Tar;
using ProviderAgent.Images;
using ProviderAgent.Tests.Support;

namespace ProviderAgent.Tests.Images;

public sealed class ImageImportTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly ImageStore _store;

    public ImageImportTests() => _store = new ImageStore(Path.Combine(_dir.Path, "data"));

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Imports_a_docker_save_tarball_by_name_and_digest()
    {
        string tar = _dir.File("bb.tar");
        TestImages.WriteDockerSave(tar, [TestImages.BusyboxLayer]);
        var image = _store.Import(tar);
        Assert.Equal("docker-save", image.Format);
        Assert.Equal(TestImages.ConfigDigest(), image.Digest);
        Assert.Equal(["busybox:test"], image.Names);
        Assert.Equal(["sh"], image.Config.Cmd);
        Assert.True(File.Exists(Path.Combine(image.RootfsPath, "bin", "busybox")));
        Assert.Equal("busybox", new FileInfo(Path.Combine(image.RootfsPath, "bin", "sh")).LinkTarget);
        Assert.Contains("nobody:x:65534", File.ReadAllText(Path.Combine(image.RootfsPath, "etc", "passwd")));
        Assert.Equal(image.Digest, _store.Resolve("busybox:test")!.Digest);
        Assert.Equal(image.Digest, _store.Resolve(image.Digest)!.Digest);
        Assert.Equal(image.Digest, _store.Resolve(image.ShortId)!.Digest);
        Assert.Null(_store.Resolve("busybox:other"));
        Assert.Single(_store.List());
    }

    [Fact]
    public void Imports_an_oci_layout_tarball_with_gzip_layers()
    {
        string tar = _dir.File("bb-oci.tar");
        TestImages.WriteOci(tar, [TestImages.BusyboxLayer]);
        var image = _store.Import(tar, "localhost/busybox:oci");
        Assert.Equal("oci", image.Format);
        Assert.Equal(["localhost/busybox:oci"], image.Names);
        Assert.True(File.Exists(Path.Combine(image.RootfsPath, "bin", "busybox")));
        Assert.Equal(image.Digest, _store.Resolve("localhost/busybox:oci")!.Digest);
    }

    [Fact]
    public void Reimporting_the_same_image_adds_a_name_without_unpacking_again()
    {
        string tar = _dir.File("bb.tar");
        TestImages.WriteDockerSave(tar, [TestImages.BusyboxLayer]);
        var first = _store.Import(tar);
        var second = _store.Import(tar, "again:v1");
        Assert.Equal(first.Digest, second.Digest);
        Assert.Equal(["again:v1", "busybox:test"], second.Names);
        Assert.True(_store.Remove("again:v1"));
        Assert.Empty(_store.List());
    }

    [Fact]
    public void Layers_apply_in_order_with_whiteouts_and_opaque_directories()
    {
        var lower = TestImages.Layer(w =>
        {
            TestImages.File(w, "a/keep", "k");
            TestImages.File(w, "a/gone", "g");
            TestImages.File(w, "b/old1", "1");
            TestImages.File(w, "b/old2", "2");
            TestImages.File(w, "c/replaced", "old");
        });
        var upper = TestImages.Layer(w =>
        {
            TestImages.File(w, "a/.wh.gone", "");
            TestImages.File(w, "b/.wh..wh..opq", "");
            TestImages.File(w, "b/new", "n");
            TestImages.File(w, "c/replaced", "new");
        });
        string tar = _dir.File("layers.tar");
        TestImages.WriteDockerSave(tar, [lower, upper]);
        var root = _store.Import(tar).RootfsPath;
        Assert.True(File.Exists(Path.Combine(root, "a", "keep")));
        Assert.False(File.Exists(Path.Combine(root, "a", "gone")));
        Assert.False(File.Exists(Path.Combine(root, "a", ".wh.gone")));
        Assert.Equal(["new"], Directory.EnumerateFileSystemEntries(Path.Combine(root, "b")).Select(Path.GetFileName));
        Assert.Equal("new", File.ReadAllText(Path.Combine(root, "c", "replaced")));
    }

    [Fact]
    public void Hard_links_are_copied_and_device_nodes_skipped()
    {
        string tar = _dir.File("links.tar");
        TestImages.WriteDockerSave(tar, [TestImages.Layer(w =>
        {
            TestImages.File(w, "bin/tool", "#!/bin/sh\n", "4755");
            w.WriteEntry(new PaxTarEntry(TarEntryType.HardLink, "bin/alias") { LinkName = "bin/tool" });
            w.WriteEntry(new PaxTarEntry(TarEntryType.CharacterDevice, "dev/mem") { DeviceMajor = 1, DeviceMinor = 1 });
        })]);
        var root = _store.Import(tar).RootfsPath;
        Assert.Equal("#!/bin/sh\n", File.ReadAllText(Path.Combine(root, "bin", "alias")));
        Assert.False(File.Exists(Path.Combine(root, "dev", "mem")));
        // Set-id bits never reach the shared store.
        Assert.Equal(UnixFileMode.None, File.GetUnixFileMode(Path.Combine(root, "bin", "tool")) & UnixFileMode.SetUser);
    }
}

using System.Formats.Tar;
using System.Text.Json;

namespace ProviderAgent.Images;

/// <summary>
/// The agent's local image store: images/&lt;hex digest&gt;/{image.json, rootfs/} plus
/// images/refs.json mapping "name:tag" to digests. There is no registry on provider hosts
/// (HOST-NOTES), so images arrive as tarballs and are unpacked once, then shared read-only by
/// every container that uses them.
/// </summary>
public sealed partial class ImageStore
{
    // Created in every rootfs at import so runc never has to mkdir mount points inside a shared,
    // read-only image at container start.
    private static readonly string[] MountPoints = ["proc", "sys", "dev", "tmp", "etc"];
    private readonly string _imagesDir, _stagingDir, _refsPath;
    private readonly Lock _refsGate = new();

    public ImageStore(string dataDirectory, ImportLimits? limits = null)
    {
        Limits = limits ?? ImportLimits.Default;
        _imagesDir = Path.Combine(Path.GetFullPath(dataDirectory), "images");
        _stagingDir = Path.Combine(Path.GetFullPath(dataDirectory), "tmp");
        _refsPath = Path.Combine(_imagesDir, "refs.json");
        Directory.CreateDirectory(_imagesDir);
        Directory.CreateDirectory(_stagingDir);
    }

    public ImportLimits Limits { get; }

    /// <summary>Imports a docker-save or OCI-layout tarball; <paramref name="name"/> overrides the names it carries.</summary>
    public ImageRecord Import(string tarball, string? name = null)
    {
        string? normalizedName = name is null ? null : ImageReference.Normalize(name);
        using var archive = StagedArchive.Extract(tarball, _stagingDir, Limits);
        var manifest = ImageManifest.Read(archive);
        var config = ParseConfig(File.ReadAllText(manifest.ConfigPath));
        string hex = manifest.ConfigDigest[7..];
        string imageDir = Path.Combine(_imagesDir, hex);
        var names = normalizedName is not null ? [normalizedName] : manifest.Names.Select(ImageReference.Normalize).ToList();
        if (!File.Exists(Path.Combine(imageDir, "image.json")))
            Unpack(manifest, config, imageDir, hex);
        foreach (var n in names) Tag(n, manifest.ConfigDigest);
        return Get(manifest.ConfigDigest) ?? throw new InvalidOperationException("image vanished during import");
    }

    private void Unpack(ImageManifest manifest, ImageConfig config, string imageDir, string hex)
    {
        string staging = ScratchDirectory.Create(_stagingDir, "rootfs-");
        try
        {
            string rootfs = Path.Combine(staging, "rootfs");
            Directory.CreateDirectory(rootfs);
            var unpacker = new LayerUnpacker(rootfs, Limits);
            foreach (var (path, layerName) in manifest.Layers)
                using (var layer = File.OpenRead(path)) unpacker.Apply(layer, layerName);
            foreach (var mp in MountPoints)
                if (!Path.Exists(Path.Combine(rootfs, mp))) Directory.CreateDirectory(Path.Combine(rootfs, mp));
            var record = new ImageRecord(manifest.ConfigDigest, [], config, Path.Combine(imageDir, "rootfs"),
                manifest.Layers.Count, unpacker.UnpackedBytes, manifest.Format, DateTimeOffset.UtcNow);
            File.WriteAllText(Path.Combine(staging, "image.json"), JsonSerializer.Serialize(record, StoreJson.Default.ImageRecord));
            // Rename is atomic: a crash leaves either no image or a complete one, never half a rootfs.
            try { Directory.Move(staging, imageDir); }
            catch (IOException) when (File.Exists(Path.Combine(imageDir, "image.json"))) { } // imported concurrently
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }

    /// <summary>Finds an image by "name[:tag]", "sha256:hex" or a hex prefix of ≥ 12 digits.</summary>
    public ImageRecord? Resolve(string reference)
    {
        if (ImageReference.LooksLikeDigest(reference))
        {
            string prefix = reference.StartsWith("sha256:", StringComparison.Ordinal) ? reference[7..] : reference;
            var matches = Directory.EnumerateDirectories(_imagesDir, prefix + "*").ToList();
            if (matches.Count > 1) throw new ArgumentException($"'{reference}' matches several images; give more digits");
            if (matches.Count == 1) return Get("sha256:" + Path.GetFileName(matches[0]));
        }
        string key;
        try { key = ImageReference.Normalize(reference); }
        catch (ArgumentException) { return null; }
        return ReadRefs().TryGetValue(key, out var digest) ? Get(digest) : null;
    }

    public ImageRecord Require(string reference) =>
        Resolve(reference) ?? throw new ArgumentException($"image '{reference}' is not in the local store; import it first");

    public ImageRecord? Get(string digest)
    {
        if (!digest.StartsWith("sha256:", StringComparison.Ordinal) || digest.Length != 71 || !ImageReference.LooksLikeDigest(digest))
            return null; // the digest becomes a path: only a full sha256 digest may
        string path = Path.Combine(_imagesDir, digest.Replace("sha256:", ""), "image.json");
        if (!File.Exists(path)) return null;
        var record = JsonSerializer.Deserialize(File.ReadAllText(path), StoreJson.Default.ImageRecord)!;
        var names = ReadRefs().Where(kv => kv.Value == digest).Select(kv => kv.Key).Order().ToList();
        return record with { Names = names };
    }

    public IReadOnlyList<ImageRecord> List() =>
        Directory.EnumerateDirectories(_imagesDir)
            .Select(d => Get("sha256:" + Path.GetFileName(d))).OfType<ImageRecord>()
            .OrderBy(r => r.ImportedAt).ToList();

    public void Tag(string name, string digest)
    {
        lock (_refsGate)
        {
            var refs = ReadRefs();
            refs[ImageReference.Normalize(name)] = digest;
            WriteRefs(refs);
        }
    }

    /// <summary>Removes an image and its names. Containers still using the rootfs are the caller's concern.</summary>
    public bool Remove(string reference)
    {
        var image = Resolve(reference);
        if (image is null) return false;
        lock (_refsGate)
        {
            var refs = ReadRefs();
            foreach (var n in refs.Where(kv => kv.Value == image.Digest).Select(kv => kv.Key).ToList()) refs.Remove(n);
            WriteRefs(refs);
        }
        Directory.Delete(Path.GetDirectoryName(image.RootfsPath)!, recursive: true);
        return true;
    }

    /// <summary>Writes the rootfs as a flat tar, the input of Docker's image import.</summary>
    public void WriteRootfsTar(ImageRecord image, Stream destination) =>
        TarFile.CreateFromDirectory(image.RootfsPath, destination, includeBaseDirectory: false);

    private Dictionary<string, string> ReadRefs() =>
        File.Exists(_refsPath)
            ? JsonSerializer.Deserialize(File.ReadAllText(_refsPath), StoreJson.Default.DictionaryStringString) ?? []
            : [];

    private void WriteRefs(Dictionary<string, string> refs)
    {
        string tmp = _refsPath + ".tmp";
        File.WriteAllText(tmp, JsonSerializer.Serialize(refs, StoreJson.Default.DictionaryStringString));
        File.Move(tmp, _refsPath, overwrite: true);
    }
}

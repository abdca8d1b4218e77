using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ProviderAgent.Tests.Support;

/// <summary>
/// Builds image tarballs in test code: a busybox rootfs from Debian's busybox-static (one applet
/// symlink per `busybox --list`, a non-root user 65534 nobody), written as a `docker save` tarball
/// or as an OCI image layout tarball, plus hand-made layers for the safety tests.
/// </summary>
public static class TestImages
{
    public const string Busybox = "/bin/busybox";
    private static readonly Lazy<byte[]> BusyboxLayerBytes = new(BuildBusyboxLayer);

    public static byte[] BusyboxLayer => BusyboxLayerBytes.Value;

    private static byte[] BuildBusyboxLayer()
    {
        if (!System.IO.File.Exists(Busybox)) throw new InvalidOperationException("busybox-static is not installed (apt-get install busybox-static)");
        return Layer(w =>
        {
            foreach (var d in new[] { "bin", "proc", "sys", "dev", "tmp", "etc" })
                w.WriteEntry(new PaxTarEntry(TarEntryType.Directory, d + "/") { Mode = (UnixFileMode)Convert.ToInt32(d == "tmp" ? "1777" : "755", 8) });
            using (var bb = System.IO.File.OpenRead(Busybox))
                w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "bin/busybox") { DataStream = bb, Mode = (UnixFileMode)Convert.ToInt32("755", 8) });
            foreach (var applet in Applets())
                if (applet != "busybox")
                    w.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "bin/" + applet) { LinkName = "busybox" });
            File(w, "etc/passwd", "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/sh\n");
            File(w, "etc/group", "root:x:0:\nnogroup:x:65534:\n");
        });
    }

    private static IEnumerable<string> Applets()
    {
        var psi = new ProcessStartInfo(Busybox, "--list") { RedirectStandardOutput = true };
        using var p = Process.Start(psi)!;
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>A layer tar built by <paramref name="write"/>.</summary>
    public static byte[] Layer(Action<TarWriter> write)
    {
        var ms = new MemoryStream();
        using (var w = new TarWriter(ms, TarEntryFormat.Pax, leaveOpen: true)) write(w);
        return ms.ToArray();
    }

    public static void File(TarWriter w, string name, string content, string mode = "644")
    {
        w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name)
        {
            DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)),
            Mode = (UnixFileMode)Convert.ToInt32(mode, 8),
        });
    }

    public static string Config(string[]? cmd = null) => JsonSerializer.Serialize(new
    {
        architecture = "amd64",
        os = "linux",
        config = new { Env = new[] { "IMAGE_VAR=from-image" }, Cmd = cmd ?? ["sh"] },
        rootfs = new { type = "layers", diff_ids = Array.Empty<string>() },
    });

    /// <summary>A `docker save` tarball: manifest.json, &lt;config&gt;.json, &lt;id&gt;/layer.tar.</summary>
    public static void WriteDockerSave(string path, IReadOnlyList<byte[]> layers, string? repoTag = "busybox:test", string? config = null,
        Action<TarWriter>? extra = null)
    {
        config ??= Config();
        string configName = Hex(Encoding.UTF8.GetBytes(config)) + ".json";
        var layerNames = layers.Select(l => Hex(l) + "/layer.tar").ToList();
        var manifest = JsonSerializer.Serialize(new[]
        {
            new { Config = configName, RepoTags = repoTag is null ? Array.Empty<string>() : [repoTag], Layers = layerNames },
        });
        using var f = System.IO.File.Create(path);
        using var w = new TarWriter(f, TarEntryFormat.Pax);
        File(w, "manifest.json", manifest);
        File(w, configName, config);
        for (int i = 0; i < layers.Count; i++)
            w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, layerNames[i]) { DataStream = new MemoryStream(layers[i]) });
        extra?.Invoke(w);
    }

    /// <summary>An OCI image layout tarball with gzip layers; <paramref name="corruptBlob"/> breaks a blob's digest.</summary>
    public static void WriteOci(string path, IReadOnlyList<byte[]> layers, string refName = "busybox:oci", bool corruptBlob = false)
    {
        var blobs = new Dictionary<string, byte[]>();
        string Add(byte[] data) { string d = Hex(data); blobs[d] = data; return "sha256:" + d; }
        var config = Encoding.UTF8.GetBytes(Config());
        string configDigest = Add(config);
        var layerDescs = layers.Select(l => { var gz = Gzip(l); return new { mediaType = "application/vnd.oci.image.layer.v1.tar+gzip", digest = Add(gz), size = gz.Length }; }).ToArray();
        var manifest = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
        {
            schemaVersion = 2,
            mediaType = "application/vnd.oci.image.manifest.v1+json",
            config = new { mediaType = "application/vnd.oci.image.config.v1+json", digest = configDigest, size = config.Length },
            layers = layerDescs,
        }));
        string manifestDigest = Add(manifest);
        var index = JsonSerializer.Serialize(new
        {
            schemaVersion = 2,
            manifests = new[]
            {
                new { mediaType = "application/vnd.oci.image.manifest.v1+json", digest = manifestDigest, size = manifest.Length,
                      annotations = new Dictionary<string, string> { ["org.opencontainers.image.ref.name"] = refName } },
            },
        });
        using var f = System.IO.File.Create(path);
        using var w = new TarWriter(f, TarEntryFormat.Pax);
        File(w, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}");
        File(w, "index.json", index);
        foreach (var (digest, data) in blobs)
        {
            var bytes = corruptBlob && digest == configDigest[7..] ? [.. data, (byte)' '] : data;
            w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "blobs/sha256/" + digest) { DataStream = new MemoryStream(bytes) });
        }
    }

    public static string ConfigDigest(string? config = null) => "sha256:" + Hex(Encoding.UTF8.GetBytes(config ?? Config()));

    private static byte[] Gzip(byte[] data)
    {
        var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true)) gz.Write(data);
        return ms.ToArray();
    }

    public static string Hex(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));
}

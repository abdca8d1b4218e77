using System.Diagnostics;
using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Market.TestSupport;

/// <summary>
/// A busybox image as a `docker save` tarball, built from Debian's busybox-static (provider hosts
/// have no registry): one applet symlink per `busybox --list`, user 65534 nobody, and the mount
/// points runc needs. For `provider-agent image import` in tests that run the agent as a process.
/// </summary>
public static class BusyboxImage
{
    public const string Binary = "/bin/busybox";

    public static void WriteDockerSave(string path, string repoTag = "busybox:latest")
    {
        if (!File.Exists(Binary)) throw new InvalidOperationException("busybox-static is not installed (apt-get install busybox-static)");
        var layer = Layer();
        var config = JsonSerializer.Serialize(new
        {
            architecture = "amd64", os = "linux", config = new { Cmd = new[] { "sh" } },
            rootfs = new { type = "layers", diff_ids = new[] { "sha256:" + Sha(layer) } },
        });
        string configName = Sha(Encoding.UTF8.GetBytes(config)) + ".json", layerName = Sha(layer) + "/layer.tar";
        var manifest = JsonSerializer.Serialize(new[] { new { Config = configName, RepoTags = new[] { repoTag }, Layers = new[] { layerName } } });
        using var f = File.Create(path);
        using var w = new TarWriter(f, TarEntryFormat.Pax);
        Entry(w, "manifest.json", Encoding.UTF8.GetBytes(manifest));
        Entry(w, configName, Encoding.UTF8.GetBytes(config));
        Entry(w, layerName, layer);
    }

    private static byte[] Layer()
    {
        var ms = new MemoryStream();
        using (var w = new TarWriter(ms, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var d in new[] { "bin", "proc", "sys", "dev", "tmp", "etc" })
                w.WriteEntry(new PaxTarEntry(TarEntryType.Directory, d + "/") { Mode = (UnixFileMode)Convert.ToInt32(d == "tmp" ? "1777" : "755", 8) });
            using (var bb = File.OpenRead(Binary))
                w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "bin/busybox") { DataStream = bb, Mode = (UnixFileMode)Convert.ToInt32("755", 8) });
            foreach (var applet in Applets().Where(a => a != "busybox"))
                w.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "bin/" + applet) { LinkName = "busybox" });
            Entry(w, "etc/passwd", "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/sh\n"u8.ToArray());
            Entry(w, "etc/group", "root:x:0:\nnogroup:x:65534:\n"u8.ToArray());
        }
        return ms.ToArray();
    }

    private static IEnumerable<string> Applets()
    {
        using var p = Process.Start(new ProcessStartInfo(Binary, "--list") { RedirectStandardOutput = true })!;
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    private static void Entry(TarWriter w, string name, byte[] data) =>
        w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(data), Mode = (UnixFileMode)Convert.ToInt32("644", 8) });

    private static string Sha(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));
}

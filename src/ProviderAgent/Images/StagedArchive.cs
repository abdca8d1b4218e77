using System.Formats.Tar;

namespace ProviderAgent.Images;

/// <summary>
/// The outer image tarball unpacked into a staging directory: only regular files (and in-archive
/// symlinks, which old `docker save` writes for shared layers) are kept, under their normalised
/// names. The layers themselves are unpacked later by <see cref="LayerUnpacker"/>.
/// </summary>
internal sealed class StagedArchive : IDisposable
{
    private readonly Dictionary<string, string> _files = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _links = new(StringComparer.Ordinal);

    public string Directory { get; }

    private StagedArchive(string directory) => Directory = directory;

    public static StagedArchive Extract(string tarball, string stagingRoot, ImportLimits limits)
    {
        var info = new FileInfo(tarball);
        if (!info.Exists) throw new ImageImportException($"{tarball}: no such file");
        if (info.Length > limits.MaxArchiveBytes)
            throw new ImageImportException($"{tarball}: archive is {info.Length} bytes, over the limit of {limits.MaxArchiveBytes} bytes");
        var staged = new StagedArchive(ScratchDirectory.Create(stagingRoot, "archive-"));
        try
        {
            using var stream = File.OpenRead(tarball);
            using var reader = new TarReader(stream);
            int n = 0;
            TarEntry? e;
            while ((e = reader.GetNextEntry()) is not null)
            {
                if (++n > limits.MaxEntries) throw new ImageImportException($"{tarball}: too many entries");
                string rel = SafePath.NormalizeEntryName(e.Name, Path.GetFileName(tarball));
                if (rel.Length == 0) continue;
                if (e.EntryType is TarEntryType.SymbolicLink)
                {
                    staged._links[rel] = e.LinkName;
                    continue;
                }
                if (e.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile)) continue;
                // Staged files get flat, numbered names: no entry name ever becomes a host path.
                string dest = Path.Combine(staged.Directory, $"f{n}");
                using (var output = File.Create(dest)) e.DataStream?.CopyTo(output);
                staged._files[rel] = dest;
            }
            if (n == 0) throw new ImageImportException($"{tarball}: empty or not a tar archive");
            return staged;
        }
        catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException or FormatException)
        {
            staged.Dispose();
            throw new ImageImportException($"{tarball}: not a valid tar archive ({ex.Message})", ex);
        }
        catch
        {
            staged.Dispose();
            throw;
        }
    }

    public bool Contains(string name) => Resolve(name) is not null;

    /// <summary>The staged file for an archive path, following in-archive symlinks (a few hops at most).</summary>
    public string? Resolve(string name)
    {
        string rel = SafePath.NormalizeEntryName(name, "archive");
        for (int hops = 0; hops < 8; hops++)
        {
            if (_files.TryGetValue(rel, out var path)) return path;
            if (!_links.TryGetValue(rel, out var target)) return null;
            string baseDir = rel.Contains('/') ? rel[..rel.LastIndexOf('/')] : "";
            if (target.StartsWith('/') || !SafePath.SymlinkStaysInside(rel, target))
                throw new ImageImportException($"archive symlink '{rel}' -> '{target}' leaves the archive, refused");
            rel = CollapseDots(baseDir.Length == 0 ? target : baseDir + "/" + target);
        }
        return null;
    }

    public string Require(string name, string why) =>
        Resolve(name) ?? throw new ImageImportException($"malformed image archive: {why} '{name}' is missing");

    public string ReadText(string name, string why) => File.ReadAllText(Require(name, why));

    private static string CollapseDots(string path)
    {
        var stack = new List<string>();
        foreach (var seg in path.Split('/'))
        {
            if (seg is "" or ".") continue;
            if (seg == "..") { if (stack.Count > 0) stack.RemoveAt(stack.Count - 1); }
            else stack.Add(seg);
        }
        return string.Join('/', stack);
    }

    public void Dispose()
    {
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (DirectoryNotFoundException) { }
    }
}

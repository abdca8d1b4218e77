using System.Formats.Tar;
using System.IO.Compression;

namespace ProviderAgent.Images;

/// <summary>
/// Applies image layers, in order, to a rootfs directory (OCI image-spec "Applying changesets").
/// Safety rules, because layers are untrusted input:
/// - names are normalised and ".." / absolute names refused (<see cref="SafePath"/>);
/// - no path is written through a symlink: every parent must be a real directory, and an existing
///   entry is removed before a new one is created (File.Create would follow a planted link);
/// - relative symlink targets may not climb above the rootfs;
/// - device nodes are skipped (runc provides /dev), hard links are copied;
/// - the total unpacked size and entry count are capped.
/// </summary>
internal sealed class LayerUnpacker(string rootfs, ImportLimits limits)
{
    private const string WhiteoutPrefix = ".wh.";
    private const string OpaqueWhiteout = ".wh..wh..opq";
    private long _bytes;
    private int _entries;

    public long UnpackedBytes => _bytes;

    public void Apply(Stream layer, string layerName)
    {
        using var data = Decompress(layer, layerName);
        using var reader = new TarReader(data, leaveOpen: false);
        var createdHere = new HashSet<string>(StringComparer.Ordinal);
        TarEntry? entry;
        try
        {
            while ((entry = reader.GetNextEntry(copyData: false)) is not null)
            {
                if (++_entries > limits.MaxEntries)
                    throw new ImageImportException($"{layerName}: more than {limits.MaxEntries} entries, refused");
                ApplyEntry(entry, layerName, createdHere);
            }
        }
        catch (InvalidDataException e) { throw new ImageImportException($"{layerName}: not a valid tar stream ({e.Message})", e); }
        catch (EndOfStreamException e) { throw new ImageImportException($"{layerName}: truncated tar stream", e); }
    }

    private static Stream Decompress(Stream layer, string layerName)
    {
        var buffered = new BufferedStream(layer, 1 << 16);
        Span<byte> magic = stackalloc byte[4];
        int n = buffered.Read(magic);
        buffered.Seek(0, SeekOrigin.Begin);
        if (n >= 2 && magic[0] == 0x1f && magic[1] == 0x8b) return new GZipStream(buffered, CompressionMode.Decompress);
        if (n >= 4 && magic[0] == 0x28 && magic[1] == 0xb5 && magic[2] == 0x2f && magic[3] == 0xfd)
            throw new ImageImportException($"{layerName}: zstd-compressed layers are not supported; re-save the image with gzip or no compression");
        return buffered;
    }

    private void ApplyEntry(TarEntry entry, string layerName, HashSet<string> createdHere)
    {
        string rel = SafePath.NormalizeEntryName(entry.Name, layerName);
        if (rel.Length == 0) return; // "./" itself
        string name = Path.GetFileName(rel);
        string parentRel = Path.GetDirectoryName(rel) ?? "";
        if (name == OpaqueWhiteout) { ClearOpaque(parentRel, layerName, createdHere); return; }
        if (name.StartsWith(WhiteoutPrefix, StringComparison.Ordinal))
        {
            RemoveExisting(Combine(Path.Combine(parentRel, name[WhiteoutPrefix.Length..]), layerName));
            return;
        }
        string full = Combine(rel, layerName);
        EnsureParents(parentRel, layerName);
        createdHere.Add(rel);
        switch (entry.EntryType)
        {
            case TarEntryType.Directory:
                if (IsRealDirectory(full)) break;
                RemoveExisting(full);
                Directory.CreateDirectory(full);
                break;
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                RemoveExisting(full);
                Count(entry.Length, layerName);
                using (var output = new FileStream(full, FileMode.CreateNew, FileAccess.Write))
                    entry.DataStream?.CopyTo(output);
                break;
            case TarEntryType.SymbolicLink:
                if (!SafePath.SymlinkStaysInside(rel, entry.LinkName))
                    throw new ImageImportException($"{layerName}: symlink '{rel}' -> '{entry.LinkName}' escapes the rootfs, refused");
                RemoveExisting(full);
                File.CreateSymbolicLink(full, entry.LinkName);
                return; // a symlink's mode is meaningless and chmod would follow it
            case TarEntryType.HardLink:
                string target = Combine(SafePath.NormalizeEntryName(entry.LinkName, layerName), layerName);
                if (!File.Exists(target) || new FileInfo(target).LinkTarget is not null)
                    throw new ImageImportException($"{layerName}: hard link '{rel}' -> '{entry.LinkName}' has no regular file to point at");
                RemoveExisting(full);
                Count(new FileInfo(target).Length, layerName);
                File.Copy(target, full);
                break;
            default:
                return; // devices, FIFOs: a container gets its /dev from runc, never from an image
        }
        SetMode(full, entry.Mode);
    }

    private string Combine(string rel, string layerName)
    {
        string full = Path.GetFullPath(Path.Combine(rootfs, rel));
        if (full != rootfs && !full.StartsWith(rootfs + "/", StringComparison.Ordinal))
            throw new ImageImportException($"{layerName}: entry '{rel}' resolves outside the rootfs, refused");
        return full;
    }

    // Every ancestor must be a real directory. A symlinked parent would let a later entry write
    // wherever the link points, the classic tar-slip through a symlink.
    private void EnsureParents(string parentRel, string layerName)
    {
        string cur = rootfs;
        foreach (var seg in parentRel.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            cur = Path.Combine(cur, seg);
            var info = new FileInfo(cur);
            if (info.LinkTarget is not null)
                throw new ImageImportException($"{layerName}: entry under '{Path.GetRelativePath(rootfs, cur)}' would be written through a symlink, refused");
            if (info.Exists) RemoveExisting(cur); // a file where a directory must be: the layer replaces it
            if (!Directory.Exists(cur)) Directory.CreateDirectory(cur);
        }
    }

    private void ClearOpaque(string dirRel, string layerName, HashSet<string> createdHere)
    {
        string dir = Combine(dirRel, layerName);
        EnsureParents(dirRel, layerName);
        if (!IsRealDirectory(dir)) return;
        foreach (var child in Directory.EnumerateFileSystemEntries(dir))
        {
            string childRel = Path.GetRelativePath(rootfs, child);
            if (!createdHere.Contains(childRel)) RemoveExisting(child); // the same layer's entries survive
        }
    }

    private static bool IsRealDirectory(string path)
    {
        var d = new DirectoryInfo(path);
        return d.Exists && d.LinkTarget is null;
    }

    private static void RemoveExisting(string full)
    {
        var info = new FileInfo(full);
        if (info.LinkTarget is not null || info.Exists) { info.Delete(); return; }
        // Directory.Delete(recursive) does not follow symlinks inside the tree: it unlinks them.
        if (Directory.Exists(full)) Directory.Delete(full, recursive: true);
    }

    private void Count(long bytes, string layerName)
    {
        _bytes += bytes;
        if (_bytes > limits.MaxUnpackedBytes)
            throw new ImageImportException($"{layerName}: unpacked size exceeds the limit of {limits.MaxUnpackedBytes} bytes, refused");
    }

    private static void SetMode(string full, UnixFileMode mode)
    {
        // Set-id bits are dropped: containers run with no_new_privileges, and a set-id binary in a
        // shared image store is a hazard on the host side too.
        mode &= ~(UnixFileMode.SetUser | UnixFileMode.SetGroup);
        File.SetUnixFileMode(full, mode);
    }
}

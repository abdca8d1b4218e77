namespace ProviderAgent.Images;

/// <summary>
/// Path checks for archive entries. Entry names are untrusted: every name is normalised to a
/// relative path of plain segments before anything touches the disk.
/// </summary>
internal static class SafePath
{
    /// <summary>
    /// "./a//b/" → "a/b". Throws on absolute names and any ".." segment: lexical checks are enough
    /// because the unpacker never follows symlinks while writing (see <see cref="LayerUnpacker"/>).
    /// Returns "" for the archive root itself.
    /// </summary>
    public static string NormalizeEntryName(string name, string what)
    {
        if (name.Contains('\0')) throw new ImageImportException($"{what}: entry name contains a NUL byte");
        if (name.StartsWith('/')) throw new ImageImportException($"{what}: absolute path '{name}' refused (entries must be relative)");
        var parts = new List<string>();
        foreach (var seg in name.Split('/'))
        {
            if (seg is "" or ".") continue;
            if (seg == "..") throw new ImageImportException($"{what}: path traversal in entry '{name}' refused ('..' segment)");
            parts.Add(seg);
        }
        return string.Join('/', parts);
    }

    /// <summary>
    /// True when a symlink at <paramref name="entry"/> (relative to the rootfs) pointing at
    /// <paramref name="target"/> resolves inside the rootfs. Absolute targets are resolved against
    /// the container's root, as the kernel does after pivot_root, so they cannot leave it;
    /// relative targets must not climb above the root.
    /// </summary>
    public static bool SymlinkStaysInside(string entry, string target)
    {
        if (target.Length == 0 || target.Contains('\0')) return false;
        if (target.StartsWith('/')) return true;
        var stack = new List<string>(entry.Split('/', StringSplitOptions.RemoveEmptyEntries));
        if (stack.Count > 0) stack.RemoveAt(stack.Count - 1); // the link's own name
        foreach (var seg in target.Split('/'))
        {
            if (seg is "" or ".") continue;
            if (seg == "..")
            {
                if (stack.Count == 0) return false;
                stack.RemoveAt(stack.Count - 1);
            }
            else stack.Add(seg);
        }
        return true;
    }
}

namespace ProviderAgent.Runtime.Runc;

public enum CgroupVersion { V1, V2 }

/// <summary>
/// The host's cgroup layout. These hosts are hybrid (v1 controllers under /sys/fs/cgroup/&lt;ctl&gt;,
/// a near-empty v2 at /sys/fs/cgroup/unified); a pure v2 host has cgroup2 at /sys/fs/cgroup.
/// runc applies the limits from config.json either way; the agent reads cgroup files only for
/// OOM evidence and removes the folders runc leaves behind.
/// </summary>
public sealed class Cgroups(string root = "/sys/fs/cgroup")
{
    public CgroupVersion Version { get; } = Detect(root);

    /// <summary>
    /// Whether config.json may carry memory.swap. v1: only with swap accounting on
    /// (memory.memsw.* exists), else runc refuses to start. v2: runc ignores a "no swap" setting
    /// where memory.swap.max is missing, so it is always safe to ask.
    /// </summary>
    public bool SwapLimitSupported => Version == CgroupVersion.V2
        || File.Exists(Path.Combine(root, "memory", "memory.memsw.limit_in_bytes"));

    private static CgroupVersion Detect(string root)
    {
        // cgroup.controllers exists only at the root of a cgroup2 mount.
        return File.Exists(Path.Combine(root, "cgroup.controllers")) ? CgroupVersion.V2 : CgroupVersion.V1;
    }

    /// <summary>
    /// OOM evidence for a container whose cgroup still exists (runc run --keep): v2
    /// memory.events oom_kill; v1 memory.oom_control oom_kill (kernel ≥ 4.13), else memory.failcnt.
    /// </summary>
    public bool WasOomKilled(string cgroupPath)
    {
        string rel = cgroupPath.TrimStart('/');
        if (Version == CgroupVersion.V2)
            return ReadCounter(Path.Combine(root, rel, "memory.events"), "oom_kill") > 0;
        string dir = Path.Combine(root, "memory", rel);
        long? kills = ReadCounter(Path.Combine(dir, "memory.oom_control"), "oom_kill");
        if (kills is not null) return kills > 0;
        return long.TryParse(ReadOrNull(Path.Combine(dir, "memory.failcnt"))?.Trim(), out var fails) && fails > 0;
    }

    /// <summary>
    /// Removes a container's cgroup folders in every hierarchy and, when asked, the shared parent
    /// if it is empty. runc deletes the leaf but never the parents it created (HOST-NOTES).
    /// rmdir is the only correct removal: a cgroup folder's files cannot be deleted.
    /// </summary>
    public void Remove(string parent, string? id, bool includeParent)
    {
        foreach (var hierarchy in Hierarchies())
        {
            string p = Path.Combine(hierarchy, parent);
            if (id is not null) TryRmdir(Path.Combine(p, id));
            if (includeParent) TryRmdir(p);
        }
    }

    /// <summary>Cgroup folders named <paramref name="parent"/>/<paramref name="id"/> or the parent itself that still exist.</summary>
    public IReadOnlyList<string> Leftovers(string parent, string? id = null) =>
        Hierarchies().Select(h => id is null ? Path.Combine(h, parent) : Path.Combine(h, parent, id))
            .Where(Directory.Exists).ToList();

    private IEnumerable<string> Hierarchies()
    {
        if (Version == CgroupVersion.V2) return [root];
        // Skip the "cpu,cpuacct"-style symlinks: they alias a real hierarchy listed on its own.
        return Directory.EnumerateDirectories(root).Where(d => new DirectoryInfo(d).LinkTarget is null);
    }

    private static void TryRmdir(string path)
    {
        try { if (Directory.Exists(path)) Directory.Delete(path, recursive: false); }
        catch (IOException) { } // busy (still has tasks or children): someone else's container lives there
        catch (UnauthorizedAccessException) { }
    }

    private static long? ReadCounter(string file, string key)
    {
        var text = ReadOrNull(file);
        if (text is null) return null;
        foreach (var line in text.Split('\n'))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2 && parts[0] == key && long.TryParse(parts[1], out var v)) return v;
        }
        return null;
    }

    private static string? ReadOrNull(string file)
    {
        try { return File.ReadAllText(file); }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }
}

namespace Market.Matching.Constraints;

/// <summary>
/// Compiles the string-typed constraints of the API (region names, GPU model names) into the
/// integer ids and bitmasks the engine compares. Runs off the hot path, when a bid or offer is
/// admitted; ids are assigned in registration order, so a host must register names in a fixed
/// order (e.g. from configuration) for journals to replay identically.
/// </summary>
public sealed class ConstraintCatalog
{
    public const int MaxRegions = 64;
    public const int MaxGpuModels = 63; // id 0 means "no GPU"

    private readonly Dictionary<string, byte> _regions = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, byte> _gpus = new(StringComparer.OrdinalIgnoreCase);

    public byte RegisterRegion(string name) => Register(_regions, name, 0, MaxRegions - 1);

    public byte RegisterGpuModel(string name) => Register(_gpus, name, 1, MaxGpuModels);

    public bool TryRegion(string name, out byte id) => _regions.TryGetValue(name, out id);

    public bool TryGpuModel(string name, out byte id) => _gpus.TryGetValue(name, out id);

    /// <summary>Region bitmask of the named regions; false if a name is unknown (the bid is then unmatchable).</summary>
    public bool TryRegionMask(IEnumerable<string> names, out ulong mask) => TryMask(_regions, names, out mask);

    public bool TryGpuMask(IEnumerable<string> names, out ulong mask) => TryMask(_gpus, names, out mask);

    private static byte Register(Dictionary<string, byte> map, string name, int first, int last)
    {
        if (map.TryGetValue(name, out var id)) return id;
        int next = first + map.Count;
        if (next > last) throw new MatchingException($"too many names registered (max {last - first + 1})");
        map.Add(name, (byte)next);
        return (byte)next;
    }

    private static bool TryMask(Dictionary<string, byte> map, IEnumerable<string> names, out ulong mask)
    {
        mask = 0;
        foreach (var n in names)
        {
            if (!map.TryGetValue(n, out var id)) return false;
            mask |= 1UL << id;
        }
        return true;
    }
}

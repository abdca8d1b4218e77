namespace ProviderAgent.Inventory;

/// <summary>What the probe found. Everything here is read from the machine, nothing declared.</summary>
public sealed record MachineFacts(
    CpuFacts Cpu,
    ulong MemoryTotalBytes,
    ulong MemoryAvailableBytes,
    string DataDirectory,
    ulong DiskFreeBytes,
    IReadOnlyList<GpuFacts> Gpus);

public sealed record CpuFacts(
    string Model,
    int LogicalCores,
    double MaxFrequencyMhz,
    SimdFacts Simd);

/// <summary>SIMD support as the .NET JIT sees it; the benchmark uses the widest of these.</summary>
public sealed record SimdFacts(
    int VectorBits,
    bool Avx2,
    bool Fma,
    bool Avx512F,
    bool AdvSimd)
{
    public string Describe()
    {
        var parts = new List<string> { $"Vector<T> {VectorBits} bit" };
        if (Avx2) parts.Add("AVX2");
        if (Fma) parts.Add("FMA");
        if (Avx512F) parts.Add("AVX-512F");
        if (AdvSimd) parts.Add("AdvSIMD");
        return string.Join(", ", parts);
    }
}

/// <summary>
/// A GPU as nvidia-smi reports it. The agent does not run GPU kernels itself, so GPU throughput is
/// a *declared* figure until a measured benchmark exists; <see cref="GpuCapacity"/> labels it so.
/// </summary>
public sealed record GpuFacts(string Name, ulong MemoryBytes, double MaxSmClockMhz);

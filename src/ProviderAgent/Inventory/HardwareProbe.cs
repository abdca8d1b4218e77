using System.Numerics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace ProviderAgent.Inventory;

/// <summary>Reads the machine's facts from /proc, DriveInfo and (when present) nvidia-smi.</summary>
public sealed class HardwareProbe(string dataDirectory, string procRoot = "/proc", GpuProbe? gpuProbe = null)
{
    private readonly GpuProbe _gpus = gpuProbe ?? new GpuProbe();

    public async Task<MachineFacts> ProbeAsync(CancellationToken ct = default)
    {
        var cpu = ProbeCpu();
        var (total, available) = ProcParsers.ParseMemInfo(ReadOrEmpty("meminfo"));
        Directory.CreateDirectory(dataDirectory);
        var full = Path.GetFullPath(dataDirectory);
        ulong diskFree = (ulong)new DriveInfo(full).AvailableFreeSpace;
        var gpus = await _gpus.ProbeAsync(ct);
        return new MachineFacts(cpu, total, available, full, diskFree, gpus);
    }

    public CpuFacts ProbeCpu()
    {
        var info = ProcParsers.ParseCpuInfo(ReadOrEmpty("cpuinfo"));
        // Environment.ProcessorCount honours the affinity mask and cgroup CPU quota, which is what
        // the benchmark can actually use; /proc/cpuinfo would count every host CPU.
        int cores = Environment.ProcessorCount;
        double mhz = ReadMaxFrequencyMhz() ?? info.MhzMax;
        return new CpuFacts(info.Model, cores, mhz, Simd());
    }

    public static SimdFacts Simd() => new(
        Vector<byte>.Count * 8,
        Avx2.IsSupported,
        System.Runtime.Intrinsics.X86.Fma.IsSupported,
        Avx512F.IsSupported,
        AdvSimd.IsSupported);

    private string ReadOrEmpty(string name)
    {
        try { return File.ReadAllText(Path.Combine(procRoot, name)); }
        catch (IOException) { return ""; }
        catch (UnauthorizedAccessException) { return ""; }
    }

    // cpufreq gives the rated maximum; /proc/cpuinfo only the current (often throttled) clock.
    // VMs usually have no cpufreq, then the cpuinfo figure is the best there is.
    private static double? ReadMaxFrequencyMhz()
    {
        const string path = "/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq";
        try
        {
            return File.Exists(path) && long.TryParse(File.ReadAllText(path).Trim(), out var khz)
                ? khz / 1000.0 : null;
        }
        catch (IOException) { return null; }
    }
}

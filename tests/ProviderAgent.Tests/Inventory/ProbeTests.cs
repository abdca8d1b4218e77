using ProviderAgent.Inventory;
using ProviderAgent.Tests.Support;

namespace ProviderAgent.Tests.Inventory;

public sealed class ProbeTests
{
    [Fact]
    public async Task Probe_returns_sane_facts_for_this_machine()
    {
        using var dir = new TempDir();
        var facts = await new HardwareProbe(dir.Path).ProbeAsync();
        Assert.Equal(Environment.ProcessorCount, facts.Cpu.LogicalCores);
        Assert.False(string.IsNullOrWhiteSpace(facts.Cpu.Model));
        Assert.True(facts.Cpu.Simd.VectorBits >= 128);
        Assert.InRange(facts.MemoryTotalBytes, 256UL << 20, 64UL << 40);
        Assert.InRange(facts.MemoryAvailableBytes, 1UL, facts.MemoryTotalBytes);
        Assert.True(facts.DiskFreeBytes > 0);
        Assert.Equal(dir.Path, facts.DataDirectory);
    }

    [Fact]
    public async Task No_nvidia_smi_means_no_gpus_and_no_error()
    {
        var gpus = await new GpuProbe("/nonexistent/nvidia-smi").ProbeAsync();
        Assert.Empty(gpus);
    }

    [Fact]
    public void Nvidia_smi_csv_is_parsed_and_gpu_capacity_is_labelled_unmeasured()
    {
        var gpus = GpuProbe.Parse("NVIDIA H100 80GB HBM3, 81559, 1980\nTesla T4, 15360, [N/A]\n");
        Assert.Equal(2, gpus.Count);
        Assert.Equal("NVIDIA H100 80GB HBM3", gpus[0].Name);
        Assert.Equal(81559UL << 20, gpus[0].MemoryBytes);
        Assert.Equal(1980, gpus[0].MaxSmClockMhz);
        Assert.Equal(0, gpus[1].MaxSmClockMhz);
        var declared = CapacityModel.DeclaredGpu(gpus[0]);
        Assert.Equal(CapacitySource.DeclaredUnmeasured, declared.Source);
        Assert.False(declared.Offerable);
        Assert.Equal(0UL, declared.MilliNcu);
    }

    [Fact]
    public void Cpuinfo_and_meminfo_are_parsed()
    {
        var cpu = ProcParsers.ParseCpuInfo("processor\t: 0\nmodel name\t: Test CPU @ 3.0GHz\ncpu MHz\t\t: 2999.5\n\nprocessor\t: 1\nmodel name\t: Test CPU @ 3.0GHz\ncpu MHz\t\t: 3100.0\n");
        Assert.Equal("Test CPU @ 3.0GHz", cpu.Model);
        Assert.Equal(2, cpu.Processors);
        Assert.Equal(3100.0, cpu.MhzMax);
        var (total, available) = ProcParsers.ParseMemInfo("MemTotal:        8000000 kB\nMemFree:  100 kB\nMemAvailable:    4000000 kB\n");
        Assert.Equal(8000000UL * 1024, total);
        Assert.Equal(4000000UL * 1024, available);
    }
}

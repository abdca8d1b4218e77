using System.CommandLine;
using ProviderAgent.Inventory;
using Spectre.Console;

namespace ProviderAgent.Commands;

internal static class ProbeCommand
{
    public static Command Create()
    {
        var cmd = new Command("probe", "Print this machine's facts: CPU, SIMD, memory, disk free in the data directory, GPUs.");
        cmd.SetAction((result, ct) => CommonOptions.Guarded(async () =>
        {
            var facts = await new HardwareProbe(CommonOptions.Paths(result).DataDirectory).ProbeAsync(ct);
            Print(facts);
            return 0;
        }));
        return cmd;
    }

    internal static void Print(MachineFacts f)
    {
        var t = new Table().AddColumn("fact").AddColumn("value");
        t.AddRow("CPU", Markup.Escape(f.Cpu.Model));
        t.AddRow("logical cores", f.Cpu.LogicalCores.ToString());
        t.AddRow("max frequency", f.Cpu.MaxFrequencyMhz > 0 ? $"{f.Cpu.MaxFrequencyMhz:F0} MHz" : "unknown");
        t.AddRow("SIMD", Markup.Escape(f.Cpu.Simd.Describe()));
        t.AddRow("memory", $"{Gib(f.MemoryTotalBytes)} total, {Gib(f.MemoryAvailableBytes)} available");
        t.AddRow("disk free", $"{Gib(f.DiskFreeBytes)} in {Markup.Escape(f.DataDirectory)}");
        if (f.Gpus.Count == 0) t.AddRow("GPUs", "none (no nvidia-smi or no NVIDIA GPU)");
        foreach (var g in f.Gpus)
            t.AddRow("GPU", Markup.Escape($"{g.Name}, {Gib(g.MemoryBytes)}, max SM clock {g.MaxSmClockMhz:F0} MHz"));
        AnsiConsole.Write(t);
    }

    internal static string Gib(ulong bytes) => $"{bytes / (double)(1UL << 30):F1} GiB";
}

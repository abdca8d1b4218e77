using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;

namespace ProviderAgent.Inventory;

/// <summary>
/// Lists NVIDIA GPUs through nvidia-smi. No nvidia-smi (the usual case on CPU hosts) means no
/// GPUs, not an error: the probe must work on every machine.
/// </summary>
public class GpuProbe(string executable = "nvidia-smi")
{
    public virtual async Task<IReadOnlyList<GpuFacts>> ProbeAsync(CancellationToken ct = default)
    {
        var psi = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "--query-gpu=name,memory.total,clocks.max.sm", "--format=csv,noheader,nounits" })
            psi.ArgumentList.Add(a);
        try
        {
            using var p = Process.Start(psi);
            if (p is null) return [];
            var stdout = p.StandardOutput.ReadToEndAsync(ct);
            _ = p.StandardError.ReadToEndAsync(ct);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            await p.WaitForExitAsync(timeout.Token);
            return p.ExitCode == 0 ? Parse(await stdout) : [];
        }
        catch (Win32Exception) { return []; } // not installed
        catch (OperationCanceledException) when (!ct.IsCancellationRequested) { return []; }
    }

    /// <summary>Parses "name, memory MiB, max SM clock MHz" lines; "[N/A]" fields become 0.</summary>
    public static IReadOnlyList<GpuFacts> Parse(string csv)
    {
        var gpus = new List<GpuFacts>();
        foreach (var line in csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var f = line.Split(',', StringSplitOptions.TrimEntries);
            if (f.Length < 3) continue;
            ulong memMiB = ulong.TryParse(f[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var m) ? m : 0;
            double clock = double.TryParse(f[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var c) ? c : 0;
            gpus.Add(new GpuFacts(f[0], memMiB * 1024 * 1024, clock));
        }
        return gpus;
    }
}

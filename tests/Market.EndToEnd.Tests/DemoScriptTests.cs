using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Market.TestSupport;

namespace Market.EndToEnd.Tests;

/// <summary>
/// scripts/demo.sh as a user runs it (--exit, two jobs, its own state dir; --no-build because this
/// project's build already built the API, the agent and the CLI): a real Hardhat node, Market.Api,
/// a runc agent with its real benchmark and the `market` CLI. Each job's result is checked by the
/// script itself; here the summary, the clean stop and the absence of secrets are checked.
/// </summary>
public sealed class DemoScriptTests : IDisposable
{
    private readonly string _state = Path.Combine(Path.GetTempPath(), "demo-test-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        try { Directory.Delete(_state, recursive: true); } catch (DirectoryNotFoundException) { }
    }

    [Fact]
    public async Task Demo_runs_two_jobs_to_finalized_settlement_and_stops_everything()
    {
        var (exit, output) = await RunAsync(TimeSpan.FromMinutes(6), "--no-build", "--exit", "--jobs", "2", "--state-dir", _state);
        Assert.True(exit == 0, $"demo.sh exited {exit}:\n{output}");

        var lines = output.Split('\n');
        var rows = lines.Where(l => Regex.IsMatch(l, @"^\d+\s{2,}\S")).ToList();
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.Matches(@"^\d+\s+logical/\w+ \(0/[1-4]\)\s+2 /NCU-h\s+0x15d34aaf…6a65\s+\d+\s+\d+\s+\d+\s+.*✓\s+0x[0-9a-f]{8}…[0-9a-f]{4}\s+0x[0-9a-f]{8}…[0-9a-f]{4}\s+0x[0-9a-f]{8}…[0-9a-f]{4}$", r.TrimEnd()));
        Assert.Contains(rows, r => r.Contains("sum = 5000050000 ✓"));
        Assert.Contains(rows, r => r.Contains("sha256 = 3b32c333dd40…0496 ✓"));
        Assert.Contains(lines, l => l.StartsWith("2 job(s), every result checked"));
        Assert.Contains(lines, l => Regex.IsMatch(l, @"^consumer escrow on chain: \d+ free, 0 locked; .* ✓$"));
        Assert.Contains(lines, l => l.StartsWith("dashboard: http://127.0.0.1:"));

        // Three mined transactions per job, recorded in full.
        var txs = File.ReadAllLines(Path.Combine(_state, "jobs", "txs.tsv")).Skip(1).ToList();
        Assert.Equal(2, txs.Count);
        Assert.All(txs, t => Assert.Matches(@"^\d+(\t0x[0-9a-f]{64}){3}$", t));

        // Everything it started is gone.
        foreach (var pidFile in Directory.GetFiles(Path.Combine(_state, "pids")))
        {
            int pid = int.Parse(File.ReadAllText(pidFile).Split(' ')[0]);
            Assert.False(Directory.Exists($"/proc/{pid}") && ProcessStart(pid) == File.ReadAllText(pidFile).Split(' ')[1].Trim(),
                $"{Path.GetFileName(pidFile)} (pid {pid}) still runs");
        }
        Assert.False(Directory.Exists(File.ReadAllText(Path.Combine(_state, "runc-root")).Trim()), "the runc root was left behind");

        // No secret on the terminal or in any log: not the dev keys, not the passphrase.
        string passphrase = File.ReadAllText(Path.Combine(_state, "keys", "passphrase")).Trim();
        var logs = Directory.GetFiles(Path.Combine(_state, "logs")).Select(File.ReadAllText).Append(output).ToList();
        foreach (var text in logs)
        {
            Assert.DoesNotContain(passphrase, text);
            foreach (int i in new[] { 1, 2, 4, 10 })
                Assert.DoesNotContain(DevelopmentKeys.Key(i).PrivateKeyHex[2..], text, StringComparison.OrdinalIgnoreCase);
        }
    }

    private static string ProcessStart(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/stat").Split(") ")[1].Split(' ')[19]; }
        catch (IOException) { return ""; }
    }

    private static async Task<(int Exit, string Output)> RunAsync(TimeSpan timeout, params string[] args)
    {
        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepoRoot.Path };
        psi.ArgumentList.Add(RepoRoot.Combine("scripts", "demo.sh"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var output = new StringBuilder();
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        using var cts = new CancellationTokenSource(timeout);
        try { await p.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException)
        {
            // SIGTERM lets the script stop what it started before the test gives up.
            using (var kill = Process.Start("kill", ["-TERM", p.Id.ToString()])) await kill.WaitForExitAsync();
            await p.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            lock (output) return (-1, "timed out\n" + output);
        }
        p.WaitForExit();
        lock (output) return (p.ExitCode, output.ToString());
    }
}

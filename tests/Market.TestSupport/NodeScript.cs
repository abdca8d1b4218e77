using System.Diagnostics;

namespace Market.TestSupport;

/// <summary>Runs a Node.js script from the repository (ethers and hardhat resolve from its node_modules).</summary>
public static class NodeScript
{
    public static async Task<string> RunAsync(string scriptPath, IEnumerable<string> args, string? stdin = null, TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo("node", [scriptPath, .. args])
        {
            WorkingDirectory = RepoRoot.Path,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start node");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null) await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        try { await process.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw new TimeoutException($"node {scriptPath} did not finish in time");
        }
        if (process.ExitCode != 0) throw new InvalidOperationException($"node {scriptPath} exited with {process.ExitCode}: {await stderr}");
        return await stdout;
    }
}

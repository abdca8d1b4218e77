using System.Diagnostics;

namespace ProviderAgent.Tests.Support;

/// <summary>Runs the built provider-agent (copied next to the tests) as a real process.</summary>
public static class AgentCli
{
    public static string Path => System.IO.Path.Combine(AppContext.BaseDirectory, "provider-agent");

    public static Process Start(params string[] args)
    {
        var psi = new ProcessStartInfo(Path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.Environment["NO_COLOR"] = "1";
        foreach (var a in args) psi.ArgumentList.Add(a);
        return Process.Start(psi)!;
    }

    public static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        using var p = Start(args);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (p.ExitCode, await stdout, await stderr);
    }
}

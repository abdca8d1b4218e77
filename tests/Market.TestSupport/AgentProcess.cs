using System.Diagnostics;
using System.Text;

namespace Market.TestSupport;

/// <summary>
/// The built provider agent (src/ProviderAgent) as real processes: one-shot CLI commands
/// (<see cref="RunAsync"/>) and the `run` daemon (<see cref="Start"/>), optionally pinned to a CPU
/// set with taskset (which execs, so the PID is the agent's). Dispose stops exactly that process.
/// </summary>
public sealed class AgentProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private AgentProcess(Process p) => _process = p;

    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;
    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>$PROVIDER_AGENT_DLL, else src/ProviderAgent/bin/Release/net10.0/provider-agent.dll (built by the solution build).</summary>
    public static string Dll
    {
        get
        {
            if (Environment.GetEnvironmentVariable("PROVIDER_AGENT_DLL") is { Length: > 0 } given) return given;
            var dll = RepoRoot.Combine("src", "ProviderAgent", "bin", "Release", "net10.0", "provider-agent.dll");
            return File.Exists(dll) ? dll : throw new InvalidOperationException($"{dll} is missing: dotnet build src/ProviderAgent -c Release");
        }
    }

    private static ProcessStartInfo Info(string? cpus, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo(cpus is null ? "dotnet" : "taskset")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
        };
        if (cpus is not null) foreach (var a in new[] { "-c", cpus, "dotnet" }) psi.ArgumentList.Add(a);
        psi.ArgumentList.Add(Dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["NO_COLOR"] = "1";
        return psi;
    }

    /// <summary>A one-shot command; throws with its output when it exits non-zero.</summary>
    public static async Task<string> RunAsync(string? cpus, params string[] args)
    {
        using var p = Process.Start(Info(cpus, args))!;
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try { await p.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException)
        {
            p.Kill();
            throw new TimeoutException($"provider-agent {args.LastOrDefault()} did not finish: {await stdout}");
        }
        if (p.ExitCode != 0) throw new InvalidOperationException($"provider-agent {string.Join(' ', args.Where(a => !a.StartsWith('/')))} exited {p.ExitCode}: {await stdout}{await stderr}");
        return await stdout;
    }

    /// <summary>Starts a long-running command (the `run` daemon) and waits until it prints <paramref name="readyMarker"/>.</summary>
    public static async Task<AgentProcess> StartAsync(string? cpus, string readyMarker, params string[] args)
    {
        var p = Process.Start(Info(cpus, args))!;
        p.StandardInput.Close();
        var agent = new AgentProcess(p);
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (agent._output) agent._output.AppendLine(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (agent._output) agent._output.AppendLine(e.Data); };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        var until = DateTime.UtcNow.AddSeconds(60);
        while (!agent.Output.Contains(readyMarker))
        {
            if (p.HasExited) throw new InvalidOperationException("the agent exited: " + agent.Output);
            if (DateTime.UtcNow > until) throw new TimeoutException("the agent never got ready: " + agent.Output);
            await Task.Delay(100);
        }
        return agent;
    }

    /// <summary>SIGKILL, no shutdown hooks: the fault drill's `kill -9`.</summary>
    public async Task KillHard()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: false);
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM and wait (the daemon leaves its containers for the next start).</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited) return;
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString()])) await kill.WaitForExitAsync();
        try { await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30)); }
        catch (TimeoutException) { await KillHard(); }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
    }
}

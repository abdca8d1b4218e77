using System.Diagnostics;
using System.Text.Json;

namespace ProviderAgent.Runtime.Runc;

/// <summary>Short runc commands (state, kill, delete, list) against the agent's own runc root.</summary>
internal sealed class RuncCli(string runcPath, string stateRoot)
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public async Task<Result> RunAsync(CancellationToken ct, params string[] args)
    {
        var psi = new ProcessStartInfo(runcPath)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = false, UseShellExecute = false,
        };
        psi.ArgumentList.Add("--root");
        psi.ArgumentList.Add(stateRoot);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {runcPath}");
        var stdout = p.StandardOutput.ReadToEndAsync(ct);
        var stderr = p.StandardError.ReadToEndAsync(ct);
        await p.WaitForExitAsync(ct);
        return new Result(p.ExitCode, await stdout, await stderr);
    }

    /// <summary>runc's status of a container ("created", "running", "paused", "stopped"), or null if runc does not know it.</summary>
    public async Task<string?> StatusAsync(string id, CancellationToken ct)
    {
        // runc writes state.json on create and removes the folder on delete: its absence is
        // authoritative and far cheaper to check than spawning runc.
        if (!File.Exists(Path.Combine(stateRoot, id, "state.json"))) return null;
        var r = await RunAsync(ct, "state", id);
        if (r.ExitCode != 0) return null;
        try
        {
            using var doc = JsonDocument.Parse(r.Stdout);
            return doc.RootElement.GetProperty("status").GetString();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException) { return null; }
    }

    public async Task<IReadOnlyList<string>> ListIdsAsync(CancellationToken ct)
    {
        if (!Directory.Exists(stateRoot)) return [];
        var r = await RunAsync(ct, "list", "--format", "json");
        if (r.ExitCode != 0 || string.IsNullOrWhiteSpace(r.Stdout) || r.Stdout.Trim() == "null") return [];
        using var doc = JsonDocument.Parse(r.Stdout);
        return doc.RootElement.EnumerateArray().Select(e => e.GetProperty("id").GetString()!).ToList();
    }

    public Task<Result> KillAsync(string id, CancellationToken ct) => RunAsync(ct, "kill", id, "KILL");

    public Task<Result> DeleteForceAsync(string id, CancellationToken ct) => RunAsync(ct, "delete", "--force", id);
}

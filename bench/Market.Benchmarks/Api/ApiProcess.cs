using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Market.TestSupport;

namespace Market.Benchmarks.Api;

/// <summary>The built Market.Api run as its own process on a free loopback port, stopped (exactly that PID) on dispose.</summary>
public sealed class ApiProcess : IDisposable
{
    private readonly Process _process;
    private readonly string _dir;

    private ApiProcess(Process p, string dir, int port)
    {
        _process = p;
        _dir = dir;
        Url = $"http://127.0.0.1:{port}";
    }

    public string Url { get; }

    public int Pid => _process.Id;

    /// <summary>CPU time the server process has used so far (user + system).</summary>
    public TimeSpan CpuTime { get { _process.Refresh(); return _process.TotalProcessorTime; } }

    public static ApiProcess Start(HardhatNode node, IDictionary<string, string>? settings = null)
    {
        var dll = RepoRoot.Combine("src", "Market.Api", "bin", "Release", "net10.0", "Market.Api.dll");
        if (!File.Exists(dll)) throw new InvalidOperationException($"{dll} is missing: build src/Market.Api in Release first");
        var dir = Directory.CreateTempSubdirectory("market-bench-").FullName;
        var port = FreePort.Next();
        var psi = new ProcessStartInfo("dotnet", [dll, "--urls", $"http://127.0.0.1:{port}"])
        {
            UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = dir,
        };
        psi.Environment["ConnectionStrings__Market"] = $"Data Source={Path.Combine(dir, "market.db")}";
        psi.Environment["Market__Chain__RpcUrl"] = node.RpcUrl;
        psi.Environment["Market__Chain__DeploymentFile"] = node.DeploymentFile;
        psi.Environment["Market__Chain__MatcherKey"] = DevelopmentKeys.PrivateKeys[1]; // Hardhat's public development key #1
        psi.Environment["Market__Chain__PollMilliseconds"] = "100";
        psi.Environment["Market__RateLimit__PerSecond"] = "1000000";
        psi.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (k, v) in settings ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        var p = Process.Start(psi)!;
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("[api] " + e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("[api] " + e.Data); };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return new ApiProcess(p, dir, port);
    }

    /// <summary>Waits until /health/ready answers and the indexer has reached <paramref name="block"/>.</summary>
    public async Task WaitReadyAsync(HttpClient http, long block)
    {
        var until = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            if (_process.HasExited) throw new InvalidOperationException($"Market.Api exited with {_process.ExitCode}");
            try
            {
                var r = await http.GetAsync("/health/ready");
                if (r.IsSuccessStatusCode && (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("indexedBlock").GetInt64() >= block) return;
            }
            catch (HttpRequestException) { }
            if (DateTime.UtcNow > until) throw new TimeoutException("Market.Api did not become ready");
            await Task.Delay(100);
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }
        _process.Dispose();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}

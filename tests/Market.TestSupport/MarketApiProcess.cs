using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Market.TestSupport;

/// <summary>
/// The real market API (src/Market.Api) as a separate process on a free port, with its own SQLite file
/// under <c>dir</c>, pointed at a Hardhat node. Dispose kills exactly that process; <see cref="KillHard"/>
/// is the fault drill's <c>kill -9</c>, after which <see cref="StartAsync"/> with the same directory and
/// port brings the same market back.
/// </summary>
public sealed class MarketApiProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    public string BaseUrl { get; }
    public int Port { get; }
    public string DatabasePath { get; }
    public int Pid => _process.Id;

    private MarketApiProcess(Process p, int port, string db) { _process = p; Port = port; BaseUrl = $"http://127.0.0.1:{port}"; DatabasePath = db; }

    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <param name="env">extra configuration as environment variables (e.g. <c>Market__Chain__SettlerKey</c>).</param>
    /// <param name="requireLiveOffers">wait until the indexer has fed at least one on-chain offer to the engine.</param>
    public static async Task<MarketApiProcess> StartAsync(HardhatNode chain, string dir, string matcherKeyHex,
        IReadOnlyDictionary<string, string>? env = null, bool requireLiveOffers = true, int? port = null)
    {
        string dll = await BuildAsync();
        int p0 = port ?? FreePort.Next();
        string url = $"http://127.0.0.1:{p0}", db = Path.Combine(dir, "market.db");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = dir };
        foreach (var a in new[] { dll, "--urls", url }) psi.ArgumentList.Add(a);
        psi.Environment["ConnectionStrings__Market"] = $"Data Source={db}";
        psi.Environment["Market__Chain__RpcUrl"] = chain.RpcUrl;
        psi.Environment["Market__Chain__DeploymentFile"] = chain.DeploymentFile;
        psi.Environment["Market__Chain__MatcherKey"] = matcherKeyHex;
        psi.Environment["Market__Chain__PollMilliseconds"] = "100";
        psi.Environment["Market__Auth__ChainId"] = chain.Deployment.ChainId.ToString();
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        if (env is not null) foreach (var (k, v) in env) psi.Environment[k] = v;
        var p = Process.Start(psi)!;
        var m = new MarketApiProcess(p, p0, db);
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (m._output) m._output.AppendLine(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (m._output) m._output.AppendLine(e.Data); };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        using var http = new HttpClient { BaseAddress = new Uri(url) };
        var until = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (p.HasExited) throw new InvalidOperationException("the market API exited: " + m.Output);
            try
            {
                var r = await http.GetAsync("/health/ready");
                var body = await r.Content.ReadFromJsonAsync<JsonElement>();
                if (r.IsSuccessStatusCode && (!requireLiveOffers || (body.TryGetProperty("liveOffers", out var live) && live.GetInt32() > 0))) return m;
            }
            catch (HttpRequestException) { }
            catch (JsonException) { }
            if (DateTime.UtcNow > until) throw new TimeoutException("the market API never became ready: " + m.Output);
            await Task.Delay(200);
        }
    }

    /// <summary>
    /// The API's Release build: $MARKET_API_DLL, else src/Market.Api/bin/Release, built here when missing.
    /// Test projects that run it also carry a non-referencing ProjectReference so the build is current.
    /// </summary>
    public static async Task<string> BuildAsync()
    {
        if (Environment.GetEnvironmentVariable("MARKET_API_DLL") is { Length: > 0 } given) return given;
        string dll = RepoRoot.Combine("src", "Market.Api", "bin", "Release", "net10.0", "Market.Api.dll");
        if (File.Exists(dll)) return dll;
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "build", RepoRoot.Combine("src", "Market.Api", "Market.Api.csproj"), "-c", "Release" }) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0 || !File.Exists(dll)) throw new InvalidOperationException($"building src/Market.Api failed: {await stdout}{await stderr}");
        return dll;
    }

    public HttpClient Client() => new() { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>SIGKILL, no shutdown hooks: what a crash looks like to the database and the chain.</summary>
    public async Task KillHard()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: false);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillHard();
        _process.Dispose();
    }
}

using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Market.TestSupport;

namespace ProviderAgent.Tests.Support;

/// <summary>
/// The real market API (src/Market.Api) as a separate process on a free port, with its own SQLite file, pointed at a Hardhat node. Kills
/// exactly that process on dispose.
/// </summary>
public sealed class MarketApiProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    public string BaseUrl { get; }
    public string DatabasePath { get; }

    private MarketApiProcess(Process p, string url, string db) { _process = p; BaseUrl = url; DatabasePath = db; }

    public string Output { get { lock (_output) return _output.ToString(); } }

    public static async Task<MarketApiProcess> StartAsync(HardhatNode chain, string dir, string matcherKeyHex)
    {
        string dll = await BuildAsync();
        int port = FreePort.Next();
        string url = $"http://127.0.0.1:{port}", db = Path.Combine(dir, "market.db");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = dir };
        foreach (var a in new[] { dll, "--urls", url }) psi.ArgumentList.Add(a);
        psi.Environment["ConnectionStrings__Market"] = $"Data Source={db}";
        psi.Environment["Market__Chain__RpcUrl"] = chain.RpcUrl;
        psi.Environment["Market__Chain__DeploymentFile"] = chain.DeploymentFile;
        psi.Environment["Market__Chain__MatcherKey"] = matcherKeyHex;
        psi.Environment["Market__Chain__PollMilliseconds"] = "100";
        psi.Environment["Market__Auth__ChainId"] = chain.Deployment.ChainId.ToString();
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        var p = Process.Start(psi)!;
        var m = new MarketApiProcess(p, url, db);
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
                var r = await http.GetFromJsonAsync<JsonElement>("/health/ready");
                if (r.TryGetProperty("liveOffers", out var live) && live.GetInt32() > 0) return m;
            }
            catch (HttpRequestException) { }
            if (DateTime.UtcNow > until) throw new TimeoutException("the market API never became ready: " + m.Output);
            await Task.Delay(200);
        }
    }

    /// <summary>
    /// The API's Release build: $MARKET_API_DLL, else src/Market.Api/bin/Release, built here when missing.
    /// Not a ProjectReference on purpose: the API is edited concurrently, and a half-edited API must
    /// not stop the agent's own tests from compiling.
    /// </summary>
    private static async Task<string> BuildAsync()
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

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}

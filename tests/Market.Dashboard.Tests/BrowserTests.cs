using System.Net.Http.Json;
using System.Text.Json;
using Market.TestSupport;

namespace Market.Dashboard.Tests;

/// <summary>
/// The dashboard in headless chromium (tests/dashboard/dashboard.mjs, playwright-core) against the
/// real stack: every page loads clean, figures equal the API's, and a job signed by a test-injected
/// EIP-1193 wallet reaches the API and trades. Screenshots are kept under TestResults/dashboard.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class BrowserTests(DashboardStack stack)
{
    public static string ScreenshotDir =>
        Environment.GetEnvironmentVariable("DASHBOARD_SCREENSHOTS") is { Length: > 0 } dir ? dir
            : RepoRoot.Combine("tests", "Market.Dashboard.Tests", "TestResults", "dashboard");

    [Fact]
    public async Task Pages_show_the_api_figures_and_a_wallet_signed_job_reaches_the_api()
    {
        Assert.True(File.Exists("/usr/bin/chromium"), "Debian's chromium is needed at /usr/bin/chromium");
        var input = JsonSerializer.Serialize(new
        {
            baseUrl = stack.Api.BaseUrl,
            chainId = stack.Chain.Deployment.ChainId.ToString(),
            // Hardhat's public development key: only ever valid on this throwaway chain.
            consumerKey = DevelopmentKeys.PrivateKeys[DashboardStack.ConsumerIndex],
            providerKey = DashboardStack.Provider.PrivateKeyHex,
            outDir = ScreenshotDir,
        });
        string output;
        try { output = await NodeScript.RunAsync("tests/dashboard/dashboard.mjs", [], input, TimeSpan.FromMinutes(3)); }
        catch (InvalidOperationException e) { throw new Xunit.Sdk.XunitException(e.Message + "\n--- market API ---\n" + Tail(stack.Api.Output)); }

        var s = JsonDocument.Parse(output).RootElement;
        using var http = stack.Api.Client();
        var providers = await http.GetFromJsonAsync<JsonElement>("/v1/providers");
        Assert.Equal(providers.GetArrayLength(), s.GetProperty("providerCount").GetInt32());
        Assert.Contains(providers.EnumerateArray(), p => p.GetProperty("status").GetString() == "active");
        // The cheapest grade-3 offer is the best ask the page showed.
        Assert.Contains("0-3:2000000", s.GetProperty("marketsWithAsks").EnumerateArray().Select(x => x.GetString()));
        Assert.True(s.GetProperty("jobId").GetInt64() > 0);
        Assert.Equal("2000000", s.GetProperty("tradePrice").GetString());
        Assert.True(s.GetProperty("leaseId").GetInt64() > 0);
        Assert.Equal("running", s.GetProperty("runningStatus").GetString());
        Assert.Equal(stack.Chain.Deployment.AddressOf("LeaseEscrow").ToLowerHex(),
            s.GetProperty("signedDomain").GetProperty("verifyingContract").GetString()!.ToLowerInvariant());
        // A wallet on the wrong chain and a refused signature: both explained, neither posted a job.
        Assert.Equal(2, s.GetProperty("refusals").GetArrayLength());
        foreach (var name in new[] { "markets", "providers", "submit", "job", "market-after-trade", "submit-rejected" })
            Assert.True(new FileInfo(Path.Combine(ScreenshotDir, name + ".png")).Length > 1000, $"screenshot {name}.png");
    }

    private static string Tail(string s) => s.Length > 4000 ? s[^4000..] : s;
}

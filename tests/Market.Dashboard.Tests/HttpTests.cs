using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Market.Dashboard.Tests;

/// <summary>What the dashboard's files and read routes look like on the wire.</summary>
[Collection(DashboardCollection.Name)]
public sealed class HttpTests(DashboardStack stack)
{
    [Fact]
    public async Task Root_serves_the_page_with_a_restrictive_content_security_policy()
    {
        using var http = stack.Api.Client();
        var r = await http.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal("text/html", r.Content.Headers.ContentType?.MediaType);
        var csp = string.Join(";", r.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'none'", csp);
        Assert.Contains("script-src 'self'", csp);
        Assert.Contains("connect-src 'self'", csp);
        Assert.DoesNotContain("unsafe", csp);
        Assert.DoesNotContain("http", csp); // nothing from elsewhere
        Assert.Equal("nosniff", r.Headers.GetValues("X-Content-Type-Options").Single());
        var html = await r.Content.ReadAsStringAsync();
        Assert.Contains("<script type=\"module\" src=\"/assets/app.js\"></script>", html);
        Assert.DoesNotContain("http://", html);
        Assert.DoesNotContain("https://", html);
    }

    [Theory]
    [InlineData("/assets/app.js", "text/javascript")]
    [InlineData("/assets/keccak.js", "text/javascript")]
    [InlineData("/assets/views/markets.js", "text/javascript")]
    [InlineData("/assets/styles.css", "text/css")]
    public async Task Assets_have_their_content_type_and_a_validator(string path, string type)
    {
        using var http = stack.Api.Client();
        var r = await http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal(type, r.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", r.Content.Headers.ContentType?.CharSet);
        Assert.True((await r.Content.ReadAsByteArrayAsync()).Length > 100);

        var again = new HttpRequestMessage(HttpMethod.Get, path);
        again.Headers.IfNoneMatch.Add(r.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await http.SendAsync(again)).StatusCode);
    }

    [Theory]
    [InlineData("/assets/nope.js")]
    [InlineData("/assets/../Market.Api.dll")]
    [InlineData("/assets/")]
    [InlineData("/assets/views")]
    public async Task Unknown_assets_are_404_problems(string path)
    {
        using var http = stack.Api.Client();
        var r = await http.GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);
        Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
        var problem = await r.Content.ReadFromJsonAsync<JsonElement>();
        Assert.EndsWith("/not-found", problem.GetProperty("type").GetString());
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Chain_answers_the_eip712_domain_bids_are_signed_under()
    {
        using var http = stack.Api.Client();
        var chain = await http.GetFromJsonAsync<JsonElement>("/v1/chain");
        var d = stack.Chain.Deployment;
        Assert.Equal(d.ChainId.ToString(), chain.GetProperty("chainId").GetString());
        var domain = chain.GetProperty("eip712Domain");
        Assert.Equal("ComputeMarket", domain.GetProperty("name").GetString());
        Assert.Equal("1", domain.GetProperty("version").GetString());
        Assert.Equal(d.ChainId.ToString(), domain.GetProperty("chainId").GetString());
        Assert.Equal(d.AddressOf("LeaseEscrow").ToLowerHex(), domain.GetProperty("verifyingContract").GetString()!.ToLowerInvariant());
        foreach (var name in new[] { "LeaseEscrow", "OfferBook", "ProviderRegistry" })
            Assert.Equal(d.AddressOf(name).ToLowerHex(), chain.GetProperty("contracts").GetProperty(name).GetString()!.ToLowerInvariant());
    }

    [Theory]
    [InlineData("/v1/markets/3/3/trades", "computeType")]
    [InlineData("/v1/markets/0/0/trades", "grade")]
    [InlineData("/v1/markets/0/3/trades?limit=0", "limit")]
    [InlineData("/v1/markets/0/3/trades?limit=1001", "limit")]
    public async Task Trades_refuse_bad_input(string path, string named)
    {
        using var http = stack.Api.Client();
        var r = await http.GetAsync(path);
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.Contains(named, (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Trades_of_a_quiet_market_are_an_empty_list()
    {
        using var http = stack.Api.Client();
        var trades = await http.GetFromJsonAsync<JsonElement>("/v1/markets/2/1/trades");
        Assert.Equal(JsonValueKind.Array, trades.ValueKind);
        Assert.Equal(0, trades.GetArrayLength());
    }
}

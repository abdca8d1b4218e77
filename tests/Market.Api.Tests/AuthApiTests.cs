using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Market.Api.Tests.Infrastructure;
using Market.Chain;
using Market.Chain.Crypto;
using Market.Chain.Signing;

namespace Market.Api.Tests;

[Collection(DatabaseCollection.Name)]
public sealed class AuthApiTests(PostgresServer pg)
{
    // Hardhat's public development keys #0 and #1 — test keys known to everyone, never real funds.
    private static readonly EthKey Dev0 = new("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
    private static readonly EthKey Dev1 = new("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");

    private static async Task<(HttpResponseMessage Response, JsonElement Body)> PostAsync(HttpClient http, string path, object body)
    {
        var r = await http.PostAsJsonAsync(path, body);
        var text = await r.Content.ReadAsStringAsync();
        return (r, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement);
    }

    private static async Task<string> ChallengeAsync(HttpClient http, EthKey key)
    {
        var (r, body) = await PostAsync(http, "/v1/auth/challenge", new { address = key.Address.ToString() });
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        return body.GetProperty("message").GetString()!;
    }

    private static string Sign(string message, EthKey key) => PersonalMessage.Sign(message, key).ToHex();

    [Theory]
    [MemberData(nameof(Databases.Dialects), MemberType = typeof(Databases))]
    public async Task A_wallet_signs_in_and_its_token_identifies_it(string dialect)
    {
        await using var f = new MarketApiFactory(await Databases.FreshAsync(dialect, pg));
        var http = f.CreateClient();
        var message = await ChallengeAsync(http, Dev0);
        Assert.Contains("wants you to sign in with your Ethereum account:\n" + Dev0.Address, message);

        var (r, body) = await PostAsync(http, "/v1/auth/token", new { message, signature = Sign(message, Dev0) });
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body.GetProperty("token").GetString());
        var me = await http.GetFromJsonAsync<JsonElement>("/v1/auth/me");
        Assert.Equal(Dev0.Address.ToLowerHex(), me.GetProperty("address").GetString());
    }

    [Fact]
    public async Task A_replayed_message_is_refused()
    {
        await using var f = new MarketApiFactory(MarketApiFactory.TempSqlite());
        var http = f.CreateClient();
        var message = await ChallengeAsync(http, Dev0);
        var sig = Sign(message, Dev0);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(http, "/v1/auth/token", new { message, signature = sig })).Response.StatusCode);
        var (r, body) = await PostAsync(http, "/v1/auth/token", new { message, signature = sig });
        Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        Assert.Contains("already used", body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task An_expired_challenge_is_refused()
    {
        await using var f = new MarketApiFactory(MarketApiFactory.TempSqlite());
        var http = f.CreateClient();
        var message = await ChallengeAsync(http, Dev0);
        f.Clock.Advance(TimeSpan.FromMinutes(6));
        var (r, body) = await PostAsync(http, "/v1/auth/token", new { message, signature = Sign(message, Dev0) });
        Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        Assert.Contains("expired", body.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("localhost wants", "evil.example wants")]
    [InlineData("Chain ID: 31337", "Chain ID: 1")]
    [InlineData("/v1/auth", "/phish")]
    public async Task A_message_changed_after_issue_is_refused(string from, string to)
    {
        await using var f = new MarketApiFactory(MarketApiFactory.TempSqlite());
        var http = f.CreateClient();
        var message = (await ChallengeAsync(http, Dev0)).Replace(from, to);
        var (r, body) = await PostAsync(http, "/v1/auth/token", new { message, signature = Sign(message, Dev0) });
        Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        Assert.Contains("not issued by this server", body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_configured_domain_refuses_messages_for_another()
    {
        await using var f = new MarketApiFactory(MarketApiFactory.TempSqlite());
        f.Settings["Market:Auth:Domain"] = "market.example";
        var http = f.CreateClient();
        var message = await ChallengeAsync(http, Dev0);
        Assert.StartsWith("market.example wants", message);
    }

    [Fact]
    public async Task Someone_else_signing_is_refused()
    {
        await using var f = new MarketApiFactory(MarketApiFactory.TempSqlite());
        var http = f.CreateClient();
        var message = await ChallengeAsync(http, Dev0);
        var (r, body) = await PostAsync(http, "/v1/auth/token", new { message, signature = Sign(message, Dev1) });
        Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        Assert.Contains("not signed by the address", body.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("0x1234")]
    [InlineData("not hex at all")]
    [InlineData("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266zz")]
    [InlineData("0xF39fd6e51aad88F6F4ce6aB8827279cffFb92266")]
    public async Task Bad_addresses_get_a_400_naming_the_field(string address)
    {
        await using var f = new MarketApiFactory(MarketApiFactory.TempSqlite());
        var (r, body) = await PostAsync(f.CreateClient(), "/v1/auth/challenge", new { address });
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.True(body.GetProperty("errors").TryGetProperty("address", out _));
    }

    [Theory]
    [InlineData("0x00")]
    [InlineData("zz")]
    public async Task Malformed_signatures_get_a_400(string signature)
    {
        await using var f = new MarketApiFactory(MarketApiFactory.TempSqlite());
        var http = f.CreateClient();
        var message = await ChallengeAsync(http, Dev0);
        var (r, body) = await PostAsync(http, "/v1/auth/token", new { message, signature });
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.True(body.GetProperty("errors").TryGetProperty("signature", out _));
    }

    [Fact]
    public async Task A_signature_with_an_invalid_curve_point_is_refused_not_a_500()
    {
        await using var f = new MarketApiFactory(MarketApiFactory.TempSqlite());
        var http = f.CreateClient();
        var message = await ChallengeAsync(http, Dev0);
        var (r, _) = await PostAsync(http, "/v1/auth/token", new { message, signature = "0x" + new string('f', 128) + "1b" });
        Assert.True(r.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.BadRequest, r.StatusCode.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer ")]
    [InlineData("Bearer not-a-token-we-issued-0000")]
    [InlineData("Basic dXNlcjpwYXNz")]
    public async Task Without_a_valid_token_me_is_401(string? header)
    {
        await using var f = new MarketApiFactory(MarketApiFactory.TempSqlite());
        var http = f.CreateClient();
        if (header is not null) http.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", header);
        var r = await http.GetAsync("/v1/auth/me");
        Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task An_expired_token_is_401()
    {
        await using var f = new MarketApiFactory(MarketApiFactory.TempSqlite());
        var http = f.CreateClient();
        var message = await ChallengeAsync(http, Dev0);
        var (_, body) = await PostAsync(http, "/v1/auth/token", new { message, signature = Sign(message, Dev0) });
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body.GetProperty("token").GetString());
        f.Clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/v1/auth/me")).StatusCode);
    }

    [Theory]
    [InlineData("{")]
    [InlineData("[]")]
    [InlineData("{\"address\": 5}")]
    [InlineData("{\"address\": \"0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266\", \"extra\": 1}")]
    public async Task Malformed_json_is_a_400_problem(string json)
    {
        await using var f = new MarketApiFactory(MarketApiFactory.TempSqlite());
        var r = await f.CreateClient().PostAsync("/v1/auth/challenge", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Market.Api.Tests.Infrastructure;

namespace Market.Api.Tests;

[Collection(DatabaseCollection.Name)]
public sealed class HealthApiTests(PostgresServer pg)
{
    [Theory]
    [MemberData(nameof(Databases.Dialects), MemberType = typeof(Databases))]
    public async Task Live_and_ready_answer_with_the_database_dialect(string dialect)
    {
        await using var factory = new MarketApiFactory(await Databases.FreshAsync(dialect, pg));
        var http = factory.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/live")).StatusCode);
        var ready = await http.GetFromJsonAsync<JsonElement>("/health/ready");
        Assert.Equal("ready", ready.GetProperty("status").GetString());
        Assert.Equal(dialect == "sqlite" ? "Sqlite" : "Postgres", ready.GetProperty("databaseDialect").GetString());
    }

    [Theory]
    [MemberData(nameof(Databases.Dialects), MemberType = typeof(Databases))]
    public async Task An_empty_market_answers_its_market_data(string dialect)
    {
        await using var factory = new MarketApiFactory(await Databases.FreshAsync(dialect, pg));
        var http = factory.CreateClient();
        foreach (var path in new[] { "/v1/markets", "/v1/offers", "/v1/providers" })
        {
            var r = await http.GetAsync(path);
            Assert.True(r.StatusCode == HttpStatusCode.OK, $"{path}: {(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}");
        }
        var markets = await http.GetFromJsonAsync<JsonElement>("/v1/markets");
        Assert.Equal(12, markets.GetArrayLength());
        Assert.Equal(0, (await http.GetFromJsonAsync<JsonElement>("/v1/offers")).GetArrayLength());
    }

    [Fact]
    public async Task Unknown_routes_answer_with_a_problem_detail()
    {
        await using var factory = new MarketApiFactory(MarketApiFactory.TempSqlite());
        var r = await factory.CreateClient().GetAsync("/v1/nothing-here");
        Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);
        Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_openapi_document_is_served()
    {
        await using var factory = new MarketApiFactory(MarketApiFactory.TempSqlite());
        var doc = await factory.CreateClient().GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        Assert.True(doc.GetProperty("paths").TryGetProperty("/health/ready", out _));
    }

    [Fact]
    public async Task Metrics_are_served_in_prometheus_text_format()
    {
        await using var factory = new MarketApiFactory(MarketApiFactory.TempSqlite());
        var r = await factory.CreateClient().GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var text = await r.Content.ReadAsStringAsync();
        Assert.Contains("# TYPE market_engine_resting_bids gauge\nmarket_engine_resting_bids 0\n", text);
        Assert.Contains("market_indexer_block -1", text);
        Assert.Contains("process_resident_memory_bytes ", text);
    }
}

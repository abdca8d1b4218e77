using Dapper;
using Market.Api.Infrastructure.Data;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Market.Api.Apis;

public static class HealthApi
{
    public static void MapHealthApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/health").WithTags("Health");
        g.MapGet("/live", () => TypedResults.Ok(new { status = "live" }));
        g.MapGet("/ready", ReadyAsync);
    }

    public sealed record Readiness(string Status, string Database, string DatabaseDialect, string Chain, long IndexedBlock, int RestingBids, int LiveOffers);

    /// <summary>Ready when the database answers, the engine has replayed its journal and (with a chain) the indexer's last poll succeeded.</summary>
    private static async Task<Results<Ok<Readiness>, JsonHttpResult<Readiness>>> ReadyAsync(
        Database db, Market.Api.Infrastructure.Chain.ChainContext chain, Market.Api.Application.Indexing.ChainIndexer indexer,
        Market.Api.Application.Engine.EngineHost engine, CancellationToken ct)
    {
        string database;
        try
        {
            await using var c = await db.OpenAsync(ct);
            await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM schema_migrations");
            database = "ok";
        }
        catch (Exception e) when (e is not OperationCanceledException) { database = "unreachable"; }
        var chainState = !chain.IsConfigured ? "not-configured" : indexer.LastError is null ? "ok" : "unreachable";
        var (bids, offers) = engine.Size;
        var ready = database == "ok" && chainState != "unreachable" && engine.Ready.IsCompleted;
        var r = new Readiness(ready ? "ready" : "not-ready", database, db.Dialect.ToString(), chainState, indexer.IndexedBlock, bids, offers);
        return ready ? TypedResults.Ok(r) : TypedResults.Json(r, statusCode: 503);
    }
}

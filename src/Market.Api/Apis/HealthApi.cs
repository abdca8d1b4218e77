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

    public sealed record Readiness(string Status, string Database, string DatabaseDialect);

    private static async Task<Results<Ok<Readiness>, JsonHttpResult<Readiness>>> ReadyAsync(Database db, CancellationToken ct)
    {
        try
        {
            await using var c = await db.OpenAsync(ct);
            await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM schema_migrations");
            return TypedResults.Ok(new Readiness("ready", "ok", db.Dialect.ToString()));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return TypedResults.Json(new Readiness("not-ready", "unreachable", db.Dialect.ToString()), statusCode: 503);
        }
    }
}

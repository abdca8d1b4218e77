using System.Security.Claims;
using Market.Api.Application;
using Market.Api.Application.Auth;
using Market.Api.Application.Billing;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Market.Api.Apis;

/// <summary>Settlement status of a job and statements of a wallet. A signed-in wallet sees only its own.</summary>
public static class BillingApi
{
    public static void MapBillingApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/jobs/{id:long}/settlement", SettlementAsync).WithTags("Billing").RequireAuthorization();
        app.MapGet("/v1/statements/{address}", StatementAsync).WithTags("Billing").RequireAuthorization();
    }

    private static async Task<Ok<BillingQueries.JobSettlement>> SettlementAsync(long id, ClaimsPrincipal user, BillingQueries q, CancellationToken ct) =>
        TypedResults.Ok(await q.JobAsync(id, user.Address(), ct));

    /// <summary>format=json (default) or csv (one row per lease and role).</summary>
    private static async Task<Results<Ok<BillingQueries.StatementView>, ContentHttpResult>> StatementAsync(string address, string? format,
        ClaimsPrincipal user, BillingQueries q, CancellationToken ct)
    {
        if (!Market.Chain.Address.TryParse(address, out var account))
            throw MarketException.Invalid("bad-address", "address must be a 20-byte 0x-hex address");
        if (!string.Equals(account.ToLowerHex(), user.Address(), StringComparison.OrdinalIgnoreCase))
            throw MarketException.Forbidden("a wallet may read only its own statement");
        var statement = await q.StatementAsync(account, ct);
        return (format ?? "json").ToLowerInvariant() switch
        {
            "json" => TypedResults.Ok(BillingQueries.View(statement)),
            "csv" => TypedResults.Text(statement.ToCsv(), "text/csv; charset=utf-8"),
            _ => throw MarketException.Invalid("bad-format", "format must be json or csv"),
        };
    }
}

using Market.Api.Application;
using Market.Api.Application.MarketData;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Market.Api.Apis;

/// <summary>Public market data: markets by compute type × grade, offers, providers. No sign-in needed.</summary>
public static class MarketApi
{
    public static void MapMarketApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/v1").WithTags("Market");
        g.MapGet("/markets", async (MarketQueries q, CancellationToken ct) => TypedResults.Ok(await q.MarketsAsync(ct)));
        g.MapGet("/offers", OffersAsync);
        g.MapGet("/providers", async (MarketQueries q, CancellationToken ct) => TypedResults.Ok(await q.ProvidersAsync(ct)));
    }

    private static async Task<Ok<IReadOnlyList<MarketQueries.OfferView>>> OffersAsync(MarketQueries q, int? computeType, int? grade, CancellationToken ct)
    {
        if (computeType is < 0 or > 2) throw MarketException.Invalid("validation", "computeType must be 0, 1 or 2");
        if (grade is < 1 or > 4) throw MarketException.Invalid("validation", "grade must be 1 to 4");
        return TypedResults.Ok(await q.OffersAsync(computeType, grade, ct));
    }
}

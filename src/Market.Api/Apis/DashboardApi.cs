using System.Collections.Frozen;
using System.Reflection;
using Dapper;
using Market.Api.Application;
using Market.Api.Extensions;
using Market.Api.Infrastructure.Chain;
using Market.Api.Infrastructure.Data;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Market.Api.Apis;

/// <summary>
/// The web dashboard (docs/dashboard.md): static files embedded in this assembly (wwwroot/**), so
/// the API serves them with no content root, plus the two read routes only the dashboard needs —
/// the chain it signs for and a market's price history.
/// </summary>
public static class DashboardApi
{
    /// <summary>
    /// Nothing external, no inline script or style: the page may only load its own files and talk to
    /// this origin. The wallet is an injected object, so it needs no network permission here.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
        [".png"] = "image/png",
        [".ico"] = "image/x-icon",
    }.ToFrozenDictionary();

    private sealed record Asset(byte[] Data, string ContentType, string ETag);

    /// <summary>Every embedded file, keyed by its path under wwwroot ("index.html", "assets/app.js").</summary>
    private static readonly Lazy<FrozenDictionary<string, Asset>> Assets = new(LoadAssets);

    public sealed record TradePoint(long Seq, long BidId, long OfferId, string Price, long MilliNcu, long At);

    public sealed record ChainInfo(string ChainId, string Network, ulong StartBlock, IReadOnlyDictionary<string, string> Contracts, Eip712DomainView Eip712Domain);

    public sealed record Eip712DomainView(string Name, string Version, string ChainId, string VerifyingContract);

    public static void MapDashboardApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", (HttpContext http) => Serve(http, "index.html")).ExcludeFromDescription();
        app.MapGet("/assets/{*path}", (HttpContext http, string? path) => Serve(http, "assets/" + path)).ExcludeFromDescription();
        var g = app.MapGroup("/v1").WithTags("Market");
        g.MapGet("/chain", Chain);
        g.MapGet("/markets/{computeType:int}/{grade:int}/trades", TradesAsync);
    }

    private static IResult Serve(HttpContext http, string path)
    {
        var h = http.Response.Headers;
        h.ContentSecurityPolicy = ContentSecurityPolicy;
        h.XContentTypeOptions = "nosniff";
        h["Referrer-Policy"] = "no-referrer";
        h.XFrameOptions = "DENY";
        if (!Assets.Value.TryGetValue(path, out var asset))
            return TypedResults.Problem(ErrorHandling.Problem(404, "not-found", $"the dashboard has no asset /{path}"));
        h.CacheControl = "no-cache";
        h.ETag = asset.ETag;
        if (http.Request.Headers.IfNoneMatch == asset.ETag) return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        return TypedResults.Bytes(asset.Data, asset.ContentType);
    }

    private static FrozenDictionary<string, Asset> LoadAssets()
    {
        var asm = Assembly.GetExecutingAssembly();
        var map = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (var name in asm.GetManifestResourceNames())
        {
            if (!name.StartsWith("wwwroot/", StringComparison.Ordinal)) continue;
            var type = ContentTypes.GetValueOrDefault(Path.GetExtension(name), "application/octet-stream");
            using var s = asm.GetManifestResourceStream(name)!;
            using var ms = new MemoryStream();
            s.CopyTo(ms);
            var data = ms.ToArray();
            var etag = "\"" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(data).AsSpan(0, 8)) + "\"";
            map[name["wwwroot/".Length..]] = new Asset(data, type, etag);
        }
        return map.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>What a browser wallet needs to sign a Bid for this market: the EIP-712 domain and the contracts.</summary>
    private static Ok<ChainInfo> Chain(ChainContext chain)
    {
        var c = chain.Require();
        var d = c.Deployment;
        var contracts = d.Contracts.ToDictionary(kv => kv.Key, kv => kv.Value.Address.ToString());
        var id = d.ChainId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var domain = c.Bids.Domain;
        return TypedResults.Ok(new ChainInfo(id, d.Network, d.StartBlock, contracts,
            new Eip712DomainView(domain.Name!, domain.Version!, id, c.Escrow.ToString())));
    }

    /// <summary>A market's trades, oldest first: the last <c>limit</c> (default 200, at most 1000) before seq <c>before</c>.</summary>
    private static async Task<Ok<IReadOnlyList<TradePoint>>> TradesAsync(int computeType, int grade, long? before, int? limit, Database db, CancellationToken ct)
    {
        if (computeType is < 0 or > 2) throw MarketException.Invalid("validation", "computeType must be 0, 1 or 2");
        if (grade is < 1 or > 4) throw MarketException.Invalid("validation", "grade must be 1 to 4");
        if (limit is < 1 or > 1000) throw MarketException.Invalid("validation", "limit must be 1 to 1000");
        await using var c = await db.OpenAsync(ct);
        var rows = (await c.QueryAsync<TradePoint>(new CommandDefinition("""
            SELECT seq, bid_id AS BidId, offer_id AS OfferId, price, milli_ncu AS MilliNcu, at FROM trades
            WHERE compute_type = @t AND grade = @g AND seq < @before ORDER BY seq DESC, bid_id DESC LIMIT @limit
            """, new { t = (long)computeType, g = (long)grade, before = before ?? long.MaxValue, limit = limit ?? 200 }, cancellationToken: ct))).ToList();
        rows.Reverse();
        return TypedResults.Ok<IReadOnlyList<TradePoint>>(rows);
    }
}

using System.CommandLine;
using System.Text.Json.Nodes;
using Market.Cli.Cli;

namespace Market.Cli.Commands;

/// <summary>`market markets` and `market offers`: public market data from the API (no sign-in). Prices are token base units per NCU-hour.</summary>
internal static class MarketDataCommands
{
    public static IEnumerable<Command> Create(GlobalOptions o) => [Markets(o), Offers(o)];

    private static readonly string[] TypeNames = ["logical", "parallel", "neural"];
    private static readonly string[] GradeNames = ["", "super", "large", "medium", "small"];

    private static Command Markets(GlobalOptions o)
    {
        var cmd = new Command("markets", "Markets by compute type × grade: best ask and bid, depth, last clearing price");
        cmd.Action(o, async (r, ctx, ct) =>
        {
            var markets = await ctx.Api.GetAsync("v1/markets", auth: false, ct) as JsonArray ?? [];
            if (ctx.Json) { ctx.Out.Json(markets); return ExitCodes.Ok; }
            ctx.Out.Table(["type", "grade", "best ask", "best bid", "last clearing", "ask depth (mNCU)", "bid depth (mNCU)", "trades"],
                markets.Select(m => (IReadOnlyList<string?>)
                [
                    S(m, "computeTypeName"), S(m, "gradeName"), S(m, "bestAsk"), S(m, "bestBid"), S(m, "lastClearingPrice"),
                    Depth(m?["asks"]), Depth(m?["bids"]), (m?["recentTrades"] as JsonArray)?.Count.ToString(),
                ]), "markets (prices: base units per NCU-hour)");
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static Command Offers(GlobalOptions o)
    {
        var type = new Option<string?>("--type") { Description = "Compute type: logical, parallel, neural (or 0, 1, 2)" };
        var grade = new Option<string?>("--grade") { Description = "Grade: super, large, medium, small (or 1 to 4)" };
        var cmd = new Command("offers", "Providers' live offers") { type, grade };
        cmd.Action(o, async (r, ctx, ct) =>
        {
            var query = new List<string>();
            if (r.GetValue(type) is { } t) query.Add("computeType=" + Index(t, TypeNames, 0, "--type"));
            if (r.GetValue(grade) is { } g) query.Add("grade=" + Index(g, GradeNames, 1, "--grade"));
            var offers = await ctx.Api.GetAsync("v1/offers" + (query.Count > 0 ? "?" + string.Join('&', query) : ""), auth: false, ct) as JsonArray ?? [];
            if (ctx.Json) { ctx.Out.Json(offers); return ExitCodes.Ok; }
            ctx.Out.Table(["id", "provider", "type", "grade", "free/capacity (mNCU)", "price", "max duration (s)", "uptime (bps)", "region", "status"],
                offers.Select(x => (IReadOnlyList<string?>)
                [
                    S(x, "id"), S(x, "provider"), Name(x?["computeType"], TypeNames), Name(x?["grade"], GradeNames),
                    $"{S(x, "freeMilli")}/{S(x, "capacityMilli")}", S(x, "pricePerNcuHour"), S(x, "maxDurationSec"), S(x, "uptimeBps"),
                    S(x, "region"), S(x, "status"),
                ]), "offers (prices: base units per NCU-hour)");
            return ExitCodes.Ok;
        });
        return cmd;
    }

    internal static string? S(JsonNode? n, string field) => n?[field]?.ToString();

    internal static string Name(JsonNode? n, string[] names) =>
        n is not null && int.TryParse(n.ToString(), out var i) && i >= 0 && i < names.Length && names[i].Length > 0 ? names[i] : n?.ToString() ?? "-";

    private static string Depth(JsonNode? levels) => levels is JsonArray a ? a.Sum(l => l?["milliNcu"]?.GetValue<long>() ?? 0).ToString() : "0";

    /// <summary>A name or number for an enumerated query parameter; anything else is a usage error.</summary>
    internal static int Index(string value, string[] names, int min, string option)
    {
        var i = Array.IndexOf(names, value.ToLowerInvariant());
        if (i >= min) return i;
        if (int.TryParse(value, out var n) && n >= min && n < names.Length) return n;
        throw CliException.Usage($"{option} must be one of {string.Join(", ", names.Where(x => x.Length > 0))} (or {min} to {names.Length - 1})");
    }
}

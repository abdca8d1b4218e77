using System.Globalization;
using System.Numerics;
using Dapper;
using Market.Api.Infrastructure.Data;
using Market.Matching.Model;

namespace Market.Api.Application.MarketData;

/// <summary>
/// Public market data, read from the indexer's read models and the engine's trades. Prices are
/// decimal strings of base units per NCU-hour; capacities are mNCU. Aggregation happens here rather
/// than in SQL because prices are uint256 text, which neither engine orders numerically.
/// </summary>
public sealed class MarketQueries(Database db, TimeProvider clock)
{
    public sealed record Level(string Price, long MilliNcu, int Orders);
    public sealed record Trade(long Seq, long BidId, long OfferId, string Price, long MilliNcu, long At);
    public sealed record MarketView(int ComputeType, string ComputeTypeName, int Grade, string GradeName, string? BestAsk, string? BestBid,
        string? LastPrice, string? LastClearingPrice, IReadOnlyList<Level> Asks, IReadOnlyList<Level> Bids, IReadOnlyList<Trade> RecentTrades);
    public sealed record OfferView(long Id, string Provider, long ComputeType, long Grade, long CapacityMilli, long FreeMilli, string PricePerNcuHour,
        long MaxDurationSec, long UptimeBps, long PenaltyBps, string Region, long ExpiresAt, string Status);
    public sealed record ProviderView(string Address, string Status, string Stake, string MetadataUri, IReadOnlyDictionary<string, long> CapacityMilli,
        IReadOnlyDictionary<string, int> Grade, long? LastHeartbeat, long OpenLeases, long FinishedLeases, long FailedLeases, double? UptimeRatio);

    private static readonly string[] TypeNames = ["logical", "parallel", "neural"];

    public async Task<IReadOnlyList<OfferView>> OffersAsync(int? type, int? grade, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        var rows = await c.QueryAsync<OfferView>(new CommandDefinition("""
            SELECT o.id, o.provider, o.compute_type AS ComputeType, o.grade, o.capacity_milli AS CapacityMilli,
                o.capacity_milli - COALESCE((SELECT SUM(l.milli_ncu) FROM leases l WHERE l.offer_id = o.id AND l.status IN ('open', 'proposed', 'disputed')), 0) AS FreeMilli,
                o.price AS PricePerNcuHour, o.max_duration_sec AS MaxDurationSec, o.uptime_bps AS UptimeBps, o.penalty_bps AS PenaltyBps,
                o.region, o.expires_at_sec AS ExpiresAt,
                CASE WHEN o.status = 'active' AND o.expires_at_sec <= @now THEN 'expired' ELSE o.status END AS Status
            FROM offers o
            WHERE (@type IS NULL OR o.compute_type = @type) AND (@grade IS NULL OR o.grade = @grade)
            ORDER BY o.id
            """, new { now, type = (long?)type, grade = (long?)grade }, cancellationToken: ct));
        return rows.ToList();
    }

    public async Task<IReadOnlyList<MarketView>> MarketsAsync(CancellationToken ct)
    {
        var offers = (await OffersAsync(null, null, ct)).Where(o => o.Status == "active" && o.FreeMilli > 0).ToList();
        await using var c = await db.OpenAsync(ct);
        var bids = (await c.QueryAsync<(long Type, long Grade, string Price, long MilliNcu)>(
            "SELECT compute_type, grade, max_price, milli_ncu FROM jobs WHERE status = 'open'")).ToList();
        var trades = (await c.QueryAsync<(long Type, long Grade, long Seq, long BidId, long OfferId, string Price, long MilliNcu, long At)>(
            "SELECT compute_type, grade, seq, bid_id, offer_id, price, milli_ncu, at FROM trades ORDER BY seq DESC LIMIT 2000")).ToList();
        var clearing = (await c.QueryAsync<(long Type, long Grade, string Price)>(
            "SELECT compute_type, grade, last_clearing_price FROM market_stats")).ToDictionary(r => (r.Type, r.Grade), r => r.Price);

        var result = new List<MarketView>();
        for (int t = 0; t < 3; t++)
            for (int g = 1; g <= 4; g++)
            {
                var asks = Levels(offers.Where(o => o.ComputeType == t && o.Grade == g).Select(o => (o.PricePerNcuHour, o.FreeMilli)), ascending: true);
                var bidLevels = Levels(bids.Where(b => b.Type == t && b.Grade == g).Select(b => (b.Price, b.MilliNcu)), ascending: false);
                var recent = trades.Where(x => x.Type == t && x.Grade == g).Take(20)
                    .Select(x => new Trade(x.Seq, x.BidId, x.OfferId, x.Price, x.MilliNcu, x.At)).ToList();
                result.Add(new MarketView(t, TypeNames[t], g, Grades.Name((byte)g), asks.FirstOrDefault()?.Price, bidLevels.FirstOrDefault()?.Price,
                    recent.FirstOrDefault()?.Price, clearing.GetValueOrDefault((t, g)), asks.Take(20).ToList(), bidLevels.Take(20).ToList(), recent));
            }
        return result;
    }

    public async Task<IReadOnlyList<ProviderView>> ProvidersAsync(CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var providers = await c.QueryAsync<(string Address, string Status, string Stake, string MetadataUri)>(
            // 'none': an address an event touched that never registered (or left): not a provider.
            "SELECT address, status, stake, metadata_uri FROM providers WHERE status <> 'none' ORDER BY address");
        var caps = (await c.QueryAsync<(string Address, long Type, long Milli)>("SELECT address, compute_type, milli_ncu FROM provider_capacity")).ToList();
        var beats = (await c.QueryAsync<(string Address, long At)>("SELECT address, at FROM agent_heartbeats")).ToDictionary(b => b.Address, b => b.At);
        var leases = (await c.QueryAsync<(string Provider, string Status, string? AgentStatus)>(
            "SELECT provider, status, agent_status FROM leases")).ToList();
        var list = new List<ProviderView>();
        foreach (var p in providers)
        {
            var mine = caps.Where(x => x.Address == p.Address && x.Milli > 0).ToList();
            var own = leases.Where(l => l.Provider == p.Address).ToList();
            long open = own.Count(l => l.Status is "open" or "proposed" or "disputed");
            long failed = own.Count(l => l.AgentStatus is "Failed" or "TimedOut");
            long finished = own.Count(l => l.AgentStatus is "Exited" or "Failed" or "TimedOut" or "Cancelled");
            list.Add(new ProviderView(p.Address, p.Status, p.Stake, p.MetadataUri,
                mine.ToDictionary(x => TypeNames[x.Type], x => x.Milli), mine.ToDictionary(x => TypeNames[x.Type], x => (int)Grades.GradeOf((ulong)x.Milli)),
                beats.TryGetValue(p.Address, out var at) ? at : null, open, finished, failed,
                finished == 0 ? null : Math.Round(1.0 - (double)failed / finished, 4)));
        }
        return list;
    }

    private static List<Level> Levels(IEnumerable<(string Price, long MilliNcu)> orders, bool ascending)
    {
        var levels = orders.GroupBy(o => BigInteger.Parse(o.Price, CultureInfo.InvariantCulture))
            .Select(g => (Price: g.Key, Level: new Level(g.Key.ToString(CultureInfo.InvariantCulture), g.Sum(x => x.MilliNcu), g.Count())));
        return (ascending ? levels.OrderBy(l => l.Price) : levels.OrderByDescending(l => l.Price)).Select(l => l.Level).ToList();
    }
}

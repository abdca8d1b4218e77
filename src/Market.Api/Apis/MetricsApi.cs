using System.Globalization;
using System.Text;
using Dapper;
using Market.Api.Application.Engine;
using Market.Api.Application.Indexing;
using Market.Api.Infrastructure.Data;

namespace Market.Api.Apis;

/// <summary>
/// Prometheus text exposition of the market's vital signs: the book, the indexer, jobs by status,
/// leases by status and the process. Computed on request from the same state the API serves.
/// </summary>
public static class MetricsApi
{
    public static void MapMetricsApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/metrics", WriteAsync).WithTags("Health").ExcludeFromDescription();

    private static async Task<IResult> WriteAsync(Database db, EngineHost engine, ChainIndexer indexer, CancellationToken ct)
    {
        var sb = new StringBuilder();
        var declared = new HashSet<string>(StringComparer.Ordinal);
        void Gauge(string name, string help, double value, string labels = "")
        {
            if (declared.Add(name))
                sb.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n').Append("# TYPE ").Append(name).Append(" gauge\n");
            sb.Append(name).Append(labels.Length > 0 ? "{" + labels + "}" : "").Append(' ')
              .Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        var (bids, offers) = engine.Size;
        Gauge("market_engine_resting_bids", "Bids resting in the matching engine.", bids);
        Gauge("market_engine_live_offers", "Offers live in the matching engine.", offers);
        Gauge("market_indexer_block", "Last block whose events are applied.", indexer.IndexedBlock);
        Gauge("market_indexer_up", "1 when the indexer's last RPC call succeeded.", indexer.LastError is null ? 1 : 0);
        await using (var c = await db.OpenAsync(ct))
        {
            foreach (var (status, n) in await c.QueryAsync<(string, long)>("SELECT status, COUNT(*) FROM jobs GROUP BY status ORDER BY status"))
                Gauge("market_jobs", "Jobs by status.", n, $"status=\"{status}\"");
            foreach (var (status, n) in await c.QueryAsync<(string, long)>("SELECT status, COUNT(*) FROM leases GROUP BY status ORDER BY status"))
                Gauge("market_leases", "Leases by on-chain status.", n, $"status=\"{status}\"");
            Gauge("market_trades_total", "Trades made by the engine.", await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM trades"));
        }
        using var p = System.Diagnostics.Process.GetCurrentProcess();
        Gauge("process_resident_memory_bytes", "Resident memory.", p.WorkingSet64);
        Gauge("process_cpu_seconds_total", "CPU time used.", p.TotalProcessorTime.TotalSeconds);
        return Results.Text(sb.ToString(), "text/plain; version=0.0.4");
    }
}

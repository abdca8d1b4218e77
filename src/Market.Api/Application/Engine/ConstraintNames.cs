using Dapper;
using Market.Api.Infrastructure.Data;
using Market.Matching.Constraints;
using Market.Protocol.Jobs;

namespace Market.Api.Application.Engine;

/// <summary>
/// Compiles job constraints and offer attributes to the engine's integer filters, with the name
/// → id numbering stored in the database (constraint_names), so ids never change across
/// restarts. Unknown region or GPU names in a bid compile to an id of their own: no offer has it
/// yet, so the bid rests until one does.
/// </summary>
public sealed class ConstraintNames(Database db)
{
    private readonly ConstraintCatalog _catalog = new();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _loaded;

    public static byte LatencyClass(string? startLatency) => startLatency switch
    {
        "fast" => 0,
        "standard" => 3,
        _ => byte.MaxValue,
    };

    public async Task<BidConstraints> CompileAsync(JobConstraints? c, CancellationToken ct)
    {
        if (c is null) return BidConstraints.Any;
        ulong regions = 0, gpus = 0;
        if (c.Regions is { Count: > 0 })
            foreach (var r in c.Regions) regions |= 1UL << await IdAsync("region", r, ct);
        if (c.GpuModel is { Length: > 0 } g) gpus = 1UL << await IdAsync("gpu", g, ct);
        return new BidConstraints(regions, (uint)(c.MinMemoryMb ?? 0), gpus, (ushort)(c.MinUptimeBps ?? 0), LatencyClass(c.StartLatency));
    }

    public Task<byte> RegionIdAsync(string name, CancellationToken ct) => IdAsync("region", name, ct);
    public Task<byte> GpuIdAsync(string name, CancellationToken ct) => IdAsync("gpu", name, ct);

    private async Task<byte> IdAsync(string kind, string name, CancellationToken ct)
    {
        name = name.ToLowerInvariant();
        await _gate.WaitAsync(ct);
        try
        {
            await using var c = await db.OpenAsync(ct);
            if (!_loaded)
            {
                foreach (var row in await c.QueryAsync<(string Kind, string Name, long Id)>("SELECT kind, name, id FROM constraint_names ORDER BY kind, id"))
                    _ = row.Kind == "region" ? _catalog.RegisterRegion(row.Name) : _catalog.RegisterGpuModel(row.Name);
                _loaded = true;
            }
            if ((kind == "region" ? _catalog.TryRegion(name, out var id) : _catalog.TryGpuModel(name, out id))) return id;
            try { id = kind == "region" ? _catalog.RegisterRegion(name) : _catalog.RegisterGpuModel(name); }
            catch (Market.Matching.MatchingException) { throw MarketException.Invalid("too-many-names", $"this market knows too many {kind} names already"); }
            await c.ExecuteAsync("INSERT INTO constraint_names (kind, name, id) VALUES (@kind, @name, @id)", new { kind, name, id = (long)id });
            return id;
        }
        finally { _gate.Release(); }
    }
}

using System.Data.Common;
using Dapper;
using Market.Api.Application.Engine;
using Market.Api.Infrastructure.Chain;
using Market.Api.Infrastructure.Data;
using Market.Chain;
using Market.Chain.Contracts;
using Market.Chain.Rpc;
using Market.Matching.Engine;
using Esc = Market.Chain.Contracts.LeaseEscrow.ContractDefinition;
using Ofr = Market.Chain.Contracts.OfferBook.ContractDefinition;
using Reg = Market.Chain.Contracts.ProviderRegistry.ContractDefinition;

namespace Market.Api.Application.Indexing;

/// <summary>
/// Applies one block range of contract logs to the database in one transaction: raw events,
/// read models, engine outbox rows and the indexer cursor. Balances and provider records are
/// not recomputed from events (that would duplicate the contracts' arithmetic); accounts an event
/// touched are re-read from the chain at the range's last block instead.
/// </summary>
public sealed partial class EventProjector(Database db, ConstraintNames names, TimeProvider clock, ILogger<EventProjector> log)
{
    private sealed class Range(ChainContext.Loaded chain, IReadOnlyList<Log> logs, ulong toBlock)
    {
        public IReadOnlyList<Log> Logs { get; } = logs;
        public ChainContext.Loaded Chain { get; } = chain;
        public ulong ToBlock { get; } = toBlock;
        public HashSet<Address> Accounts { get; } = [];
        public HashSet<Address> Providers { get; } = [];
        public bool Commands { get; set; }
    }

    /// <returns>Whether engine commands were queued in the outbox.</returns>
    public async Task<bool> ApplyRangeAsync(ChainContext.Loaded chain, IReadOnlyList<Log> logs, ulong toBlock, CancellationToken ct)
    {
        var range = new Range(chain, logs, toBlock);
        var escrow = chain.Read.Escrow.ContractAddress;
        var registry = chain.Read.Registry.ContractAddress;
        var offers = chain.Read.OfferBook.ContractAddress;
        // Chain reads first (region ids too): no RPC or other connection while the transaction is open.
        var regionIds = new Dictionary<string, byte>();
        foreach (var l in logs)
            if (l.Address == offers && Ofr.OfferPostedEventDTO.Event.Matches(l.Topics))
            {
                var region = RegionName(Ofr.OfferPostedEventDTO.FromDecoded(Ofr.OfferPostedEventDTO.Event.Decode(l.Topics, l.Data)).Region);
                if (region.Length > 0 && !regionIds.ContainsKey(region)) regionIds[region] = await names.RegionIdAsync(region, ct);
            }
        // A provider active again brings its offers back to the engine (ProviderStatusChangedAsync): their regions too.
        var reactivated = logs.Where(l => l.Address == registry && Reg.ProviderStatusChangedEventDTO.Event.Matches(l.Topics))
            .Select(l => Reg.ProviderStatusChangedEventDTO.FromDecoded(Reg.ProviderStatusChangedEventDTO.Event.Decode(l.Topics, l.Data)))
            .Where(e => e.Status == ActiveStatus).Select(e => e.Provider.ToLowerHex()).Distinct().ToList();
        if (reactivated.Count > 0)
        {
            await using var rc = await db.OpenAsync(ct);
            // One query per provider: Dapper expands `IN @list` on SQLite but sends an array to Npgsql.
            foreach (var provider in reactivated)
                foreach (var region in await rc.QueryAsync<string>(new CommandDefinition(
                             "SELECT DISTINCT region FROM offers WHERE provider = @provider AND region <> ''", new { provider }, cancellationToken: ct)))
                    if (!regionIds.ContainsKey(region)) regionIds[region] = await names.RegionIdAsync(region, ct);
        }
        foreach (var l in logs) CollectDirty(range, l, escrow, registry);
        var snapshots = await ReadSnapshotsAsync(range, ct);

        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        foreach (var l in logs)
        {
            if (l.Removed) continue;
            var name = await ApplyAsync(c, tx, range, l, escrow, registry, offers, regionIds, now, ct);
            await c.ExecuteAsync(new CommandDefinition("""
                INSERT INTO chain_events (block_number, log_index, tx_hash, contract, name, data)
                VALUES (@b, @i, @tx, @contract, @name, @data) ON CONFLICT (block_number, log_index) DO NOTHING
                """, new
            {
                b = (long)l.BlockNumber, i = (long)l.LogIndex, tx = l.TransactionHash, contract = l.Address.ToLowerHex(), name = name ?? "unknown",
                data = System.Text.Json.JsonSerializer.Serialize(new { topics = l.Topics.Select(t => Hex.Encode(t)), data = Hex.Encode(l.Data) }),
            }, tx, cancellationToken: ct));
        }
        await WriteSnapshotsAsync(c, tx, snapshots, (long)toBlock, ct);
        await c.ExecuteAsync(new CommandDefinition("""
            INSERT INTO chain_cursors (name, block) VALUES (@n, @b) ON CONFLICT (name) DO UPDATE SET block = excluded.block
            """, new { n = ChainIndexer.CursorName, b = (long)toBlock }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return range.Commands;
    }

    private static void CollectDirty(Range r, Log l, Address escrow, Address registry)
    {
        if (l.Address == registry && l.Topics.Count > 1)
            r.Providers.Add(new Address(l.Topics[1].AsSpan(12))); // every registry event indexes the provider first
        if (l.Address != escrow) return;
        if (Esc.DepositedEventDTO.Event.Matches(l.Topics) || Esc.WithdrawnEventDTO.Event.Matches(l.Topics))
            r.Accounts.Add(new Address(l.Topics[1].AsSpan(12)));
        else if (Esc.LeaseOpenedEventDTO.Event.Matches(l.Topics) || Esc.PenaltyPaidEventDTO.Event.Matches(l.Topics))
        {
            r.Accounts.Add(new Address(l.Topics[2].AsSpan(12)));
            r.Accounts.Add(new Address(l.Topics[3].AsSpan(12)));
        }
        else if (Esc.LeaseReclaimedEventDTO.Event.Matches(l.Topics))
            r.Accounts.Add(new Address(l.Topics[2].AsSpan(12)));
    }

    internal static string RegionName(byte[] region32)
    {
        var end = Array.IndexOf(region32, (byte)0);
        var text = System.Text.Encoding.ASCII.GetString(region32, 0, end < 0 ? region32.Length : end);
        return text.All(ch => char.IsAsciiLetterOrDigit(ch) || ch == '-') ? text.ToLowerInvariant() : "";
    }

    private static Task OutboxAsync(DbConnection c, DbTransaction tx, Range r, Log l, Command cmd, long now, CancellationToken ct, string suffix = "")
    {
        r.Commands = true;
        return c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO engine_outbox (origin, payload, created) VALUES (@o, @p, @now) ON CONFLICT (origin) DO NOTHING",
            new { o = $"log:{l.BlockNumber}:{l.LogIndex}{suffix}", p = EngineJournal.Serialize(cmd), now }, tx, cancellationToken: ct));
    }
}

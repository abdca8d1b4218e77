using System.Data.Common;
using System.Globalization;
using Dapper;
using Market.Chain;
using Market.Chain.Rpc;
using Esc = Market.Chain.Contracts.LeaseEscrow.ContractDefinition;

namespace Market.Api.Application.Indexing;

public sealed partial class EventProjector
{
    private sealed record Snapshots(
        List<(Address Account, Esc.Account Value)> Accounts,
        List<(Address Provider, Market.Chain.Contracts.ProviderRegistry.ContractDefinition.Provider Value, List<ulong> Capacities)> Providers);

    private static readonly string[] StatusNames = ["none", "active", "unbonding", "jailed"];

    /// <summary>Re-reads, at the range's last block, every account and provider an event touched.</summary>
    private async Task<Snapshots> ReadSnapshotsAsync(Range r, CancellationToken ct)
    {
        // LeaseSettled does not name its parties: look them up among known leases.
        var settled = new List<long>();
        foreach (var l in r.Logs)
            if (l.Address == r.Chain.Read.Escrow.ContractAddress && Esc.LeaseSettledEventDTO.Event.Matches(l.Topics))
                settled.Add((long)Esc.LeaseSettledEventDTO.FromDecoded(Esc.LeaseSettledEventDTO.Event.Decode(l.Topics, l.Data)).LeaseId);
        if (settled.Count > 0)
        {
            await using var c = await db.OpenAsync(ct);
            // One query per lease: Dapper expands `IN @list` on SQLite but sends an array to Npgsql.
            foreach (var id in settled)
                foreach (var (consumer, provider) in await c.QueryAsync<(string, string)>(new CommandDefinition(
                             "SELECT consumer, provider FROM leases WHERE id = @id", new { id }, cancellationToken: ct)))
                {
                    r.Accounts.Add(Address.Parse(consumer));
                    r.Accounts.Add(Address.Parse(provider));
                }
            r.Accounts.Add(await r.Chain.Read.Escrow.FeeRecipientQueryAsync(BlockParameter.AtNumber(r.ToBlock), ct));
        }
        var block = BlockParameter.AtNumber(r.ToBlock);
        var accounts = new List<(Address, Esc.Account)>();
        foreach (var a in r.Accounts) accounts.Add((a, await r.Chain.Read.Escrow.AccountOfQueryAsync(a, block, ct)));
        var providers = new List<(Address, Market.Chain.Contracts.ProviderRegistry.ContractDefinition.Provider, List<ulong>)>();
        foreach (var p in r.Providers)
            providers.Add((p, await r.Chain.Read.Registry.GetProviderQueryAsync(p, block, ct), await r.Chain.Read.Registry.CapacitiesOfQueryAsync(p, block, ct)));
        return new Snapshots(accounts, providers);
    }

    private static async Task WriteSnapshotsAsync(DbConnection c, DbTransaction tx, Snapshots s, long block, CancellationToken ct)
    {
        foreach (var (a, v) in s.Accounts)
            await c.ExecuteAsync(new CommandDefinition("""
                INSERT INTO escrow_balances (address, free, locked) VALUES (@a, @free, @locked)
                ON CONFLICT (address) DO UPDATE SET free = excluded.free, locked = excluded.locked
                """, new { a = a.ToLowerHex(), free = v.Balance.ToString(CultureInfo.InvariantCulture), locked = v.Locked.ToString(CultureInfo.InvariantCulture) },
                tx, cancellationToken: ct));
        foreach (var (p, v, caps) in s.Providers)
        {
            var address = p.ToLowerHex();
            await c.ExecuteAsync(new CommandDefinition("""
                INSERT INTO providers (address, status, stake, metadata_uri, attestation_hash, updated_block)
                VALUES (@address, @status, @stake, @uri, @hash, @block)
                ON CONFLICT (address) DO UPDATE SET status = excluded.status, stake = excluded.stake, metadata_uri = excluded.metadata_uri,
                    attestation_hash = excluded.attestation_hash, updated_block = excluded.updated_block
                """, new
            {
                address, status = v.Status < StatusNames.Length ? StatusNames[v.Status] : "unknown", stake = v.Stake.ToString(CultureInfo.InvariantCulture),
                uri = v.MetadataUri, hash = Hex.Encode(v.AttestationHash), block,
            }, tx, cancellationToken: ct));
            for (int t = 0; t < caps.Count; t++)
                await c.ExecuteAsync(new CommandDefinition("""
                    INSERT INTO provider_capacity (address, compute_type, milli_ncu) VALUES (@address, @t, @m)
                    ON CONFLICT (address, compute_type) DO UPDATE SET milli_ncu = excluded.milli_ncu
                    """, new { address, t = (long)t, m = (long)caps[t] }, tx, cancellationToken: ct));
        }
    }
}

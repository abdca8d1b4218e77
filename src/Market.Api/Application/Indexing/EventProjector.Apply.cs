using System.Data.Common;
using System.Globalization;
using Dapper;
using Market.Chain;
using Market.Chain.Contracts;
using Market.Chain.Rpc;
using Market.Matching.Constraints;
using Market.Matching.Engine;
using Market.Matching.Model;
using Esc = Market.Chain.Contracts.LeaseEscrow.ContractDefinition;
using Ofr = Market.Chain.Contracts.OfferBook.ContractDefinition;
using Reg = Market.Chain.Contracts.ProviderRegistry.ContractDefinition;

namespace Market.Api.Application.Indexing;

public sealed partial class EventProjector
{
    /// <returns>The event's name, or null for an event we do not know.</returns>
    private async Task<string?> ApplyAsync(DbConnection c, DbTransaction tx, Range r, Log l, Address escrow, Address registry, Address offers,
        Dictionary<string, byte> regionIds, long now, CancellationToken ct)
    {
        if (l.Address == offers)
        {
            if (Is<Ofr.OfferPostedEventDTO>(l, out var posted)) { await OfferPostedAsync(c, tx, r, l, posted, regionIds, now, ct); return "OfferPosted"; }
            if (Is<Ofr.OfferPriceUpdatedEventDTO>(l, out var repriced))
            {
                var id = (long)repriced.OfferId;
                await c.ExecuteAsync(new CommandDefinition("UPDATE offers SET price = @p, updated_block = @b WHERE id = @id",
                    new { p = repriced.PricePerNcuHour.ToString(CultureInfo.InvariantCulture), b = (long)l.BlockNumber, id }, tx, cancellationToken: ct));
                if (repriced.PricePerNcuHour <= long.MaxValue)
                    await OutboxAsync(c, tx, r, l, Command.Reprice(0, 0, id, (long)repriced.PricePerNcuHour), now, ct);
                return "OfferPriceUpdated";
            }
            if (Is<Ofr.OfferWithdrawnEventDTO>(l, out var withdrawn))
            {
                var id = (long)withdrawn.OfferId;
                await c.ExecuteAsync(new CommandDefinition("UPDATE offers SET status = 'withdrawn', updated_block = @b WHERE id = @id",
                    new { b = (long)l.BlockNumber, id }, tx, cancellationToken: ct));
                await OutboxAsync(c, tx, r, l, Command.CancelOffer(0, 0, id), now, ct);
                return "OfferWithdrawn";
            }
            return null;
        }
        if (l.Address == escrow)
        {
            if (Is<Esc.LeaseOpenedEventDTO>(l, out var opened)) { await LeaseOpenedAsync(c, tx, l, opened, now, ct); return "LeaseOpened"; }
            if (Is<Esc.LeaseSettledEventDTO>(l, out var settled))
            {
                await LeaseEndedAsync(c, tx, r, l, (long)settled.LeaseId, "settled",
                    $"charge {settled.Charge}, fee {settled.Fee}, refund {settled.Refund}, penalty {settled.Penalty}", now, ct);
                return "LeaseSettled";
            }
            if (Is<Esc.LeaseReclaimedEventDTO>(l, out var reclaimed))
            {
                await LeaseEndedAsync(c, tx, r, l, (long)reclaimed.LeaseId, "reclaimed", $"consumer reclaimed {reclaimed.Amount}", now, ct);
                return "LeaseReclaimed";
            }
            if (Is<Esc.LeaseDisputedEventDTO>(l, out var disputed))
            {
                await SetLeaseStatusAsync(c, tx, l, (long)disputed.LeaseId, "disputed", ct);
                return "LeaseDisputed";
            }
            if (Is<Esc.SettlementProposedEventDTO>(l, out var proposed))
            {
                // Entries pack leaseId in their low 64 bits (docs/contracts.md).
                var batch = (long)proposed.BatchId;
                foreach (var entry in proposed.Entries)
                    await c.ExecuteAsync(new CommandDefinition(
                        "UPDATE leases SET status = 'proposed', batch_id = @batch, updated_block = @b WHERE id = @id AND status = 'open'",
                        new { batch, b = (long)l.BlockNumber, id = (long)(ulong)(entry & ulong.MaxValue) }, tx, cancellationToken: ct));
                return "SettlementProposed";
            }
            if (Is<Esc.BatchFinalizedEventDTO>(l, out var finalized))
            {
                // A finalize emits no per-lease event: every lease of the batch that was not disputed
                // out of it is settled now, and its capacity goes back to the engine.
                var batch = (long)finalized.BatchId;
                var ids = await c.QueryAsync<long>(new CommandDefinition(
                    "SELECT id FROM leases WHERE batch_id = @batch AND status = 'proposed' ORDER BY id", new { batch }, tx, cancellationToken: ct));
                foreach (var id in ids.ToList())
                    await LeaseEndedAsync(c, tx, r, l, id, "settled", $"settled in batch {batch}", now, ct);
                return "BatchFinalized";
            }
            if (Is<Esc.DepositedEventDTO>(l, out _)) return "Deposited";
            if (Is<Esc.WithdrawnEventDTO>(l, out _)) return "Withdrawn";
            if (Is<Esc.PenaltyPaidEventDTO>(l, out _)) return "PenaltyPaid";
            if (Is<Esc.DisputeResolvedEventDTO>(l, out _)) return "DisputeResolved";
            if (Is<Esc.BidCancelledEventDTO>(l, out _)) return "BidCancelled";
            return null;
        }
        if (l.Address != registry) return null;
        if (Is<Reg.ProviderStatusChangedEventDTO>(l, out var changed))
        {
            await ProviderStatusChangedAsync(c, tx, r, l, changed, regionIds, now, ct);
            return "ProviderStatusChanged";
        }
        return "ProviderRegistry";
    }

    /// <summary>
    /// The chain refuses leases on the offers of a provider that is not active (jailed, unbonding):
    /// its offers leave the engine's book, and come back when it is active again — with the
    /// capacity its open leases still hold counted as taken (those return as the leases end).
    /// </summary>
    private static async Task ProviderStatusChangedAsync(DbConnection c, DbTransaction tx, Range r, Log l, Reg.ProviderStatusChangedEventDTO e,
        Dictionary<string, byte> regionIds, long now, CancellationToken ct)
    {
        var offers = await c.QueryAsync<OfferRow>(new CommandDefinition("""
            SELECT o.id AS Id, o.compute_type AS ComputeType, o.grade AS Grade, o.capacity_milli AS CapacityMilli, o.price AS Price,
                o.max_duration_sec AS MaxDurationSec, o.uptime_bps AS UptimeBps, o.region AS Region, o.expires_at_sec AS ExpiresAtSec,
                CAST((SELECT COALESCE(SUM(le.milli_ncu), 0) FROM leases le WHERE le.offer_id = o.id AND le.status NOT IN ('settled', 'reclaimed')) AS BIGINT) AS Reserved
            FROM offers o WHERE o.provider = @provider AND o.status = 'active' ORDER BY o.id
            """, new { provider = e.Provider.ToLowerHex() }, tx, cancellationToken: ct));
        foreach (var o in offers)
        {
            var suffix = $":offer:{o.Id}";
            if (e.Status != ActiveStatus)
            {
                await OutboxAsync(c, tx, r, l, Command.CancelOffer(0, 0, o.Id), now, ct, suffix);
                continue;
            }
            if (!long.TryParse(o.Price, NumberStyles.None, CultureInfo.InvariantCulture, out var price)) continue; // never traded (OfferPostedAsync)
            var reserved = (ulong)Math.Min(o.Reserved, o.CapacityMilli);
            var attrs = new OfferAttributes(o.Region.Length > 0 && regionIds.TryGetValue(o.Region, out var region) ? region : (byte)0,
                uint.MaxValue, 0, (ushort)o.UptimeBps, 0, 0);
            await OutboxAsync(c, tx, r, l, Command.Offer(0, 0, o.Id, (ComputeType)o.ComputeType, (byte)o.Grade, (ulong)o.CapacityMilli,
                price, o.ExpiresAtSec, (uint)o.MaxDurationSec, attrs, reserved), now, ct, suffix);
        }
    }

    /// <summary>ProviderRegistry.ProviderStatus.Active.</summary>
    private const byte ActiveStatus = 1;

    private sealed class OfferRow
    {
        public long Id { get; set; }
        public long ComputeType { get; set; }
        public long Grade { get; set; }
        public long CapacityMilli { get; set; }
        public string Price { get; set; } = "";
        public long MaxDurationSec { get; set; }
        public long UptimeBps { get; set; }
        public string Region { get; set; } = "";
        public long ExpiresAtSec { get; set; }
        public long Reserved { get; set; }
    }

    private static bool Is<T>(Log l, out T value) where T : class, IEventDTO<T>
    {
        if (T.Event.Matches(l.Topics)) { value = T.FromDecoded(T.Event.Decode(l.Topics, l.Data)); return true; }
        value = null!;
        return false;
    }

    private async Task OfferPostedAsync(DbConnection c, DbTransaction tx, Range r, Log l, Ofr.OfferPostedEventDTO e,
        Dictionary<string, byte> regionIds, long now, CancellationToken ct)
    {
        var id = (long)e.OfferId;
        var region = RegionName(e.Region);
        await c.ExecuteAsync(new CommandDefinition("""
            INSERT INTO offers (id, provider, compute_type, grade, capacity_milli, reserved_milli, price, max_duration_sec, uptime_bps,
                penalty_bps, region, attributes_hash, expires_at_sec, status, updated_block)
            VALUES (@id, @provider, @type, @grade, @cap, 0, @price, @dur, @uptime, @penalty, @region, @attr, @exp, 'active', @b)
            ON CONFLICT (id) DO NOTHING
            """, new
        {
            id, provider = e.Provider.ToLowerHex(), type = (long)e.ComputeType, grade = (long)e.Grade, cap = (long)e.CapacityMilli,
            price = e.PricePerNcuHour.ToString(CultureInfo.InvariantCulture), dur = (long)e.MaxDurationSec, uptime = (long)e.UptimeBps,
            penalty = (long)e.PenaltyBps, region, attr = Hex.Encode(e.AttributesHash), exp = (long)e.ExpiresAt, b = (long)l.BlockNumber,
        }, tx, cancellationToken: ct));
        if (e.PricePerNcuHour > long.MaxValue)
        {
            log.LogWarning("offer {Offer} asks more than the engine's price range; it is listed but not traded", id);
            return;
        }
        var attrs = new OfferAttributes(region.Length > 0 ? regionIds[region] : (byte)0, uint.MaxValue, 0, e.UptimeBps, 0, 0);
        await OutboxAsync(c, tx, r, l, Command.Offer(0, 0, id, (ComputeType)e.ComputeType, e.Grade, e.CapacityMilli,
            (long)e.PricePerNcuHour, (long)e.ExpiresAt, e.MaxDurationSec, attrs), now, ct);
    }

    /// <summary>
    /// The lease row, and the job it came from marked leased — also when the job is 'opening': the
    /// opener leaves a job whose send may have been mined (receipt timeout, restart) to this event.
    /// </summary>
    private static async Task LeaseOpenedAsync(DbConnection c, DbTransaction tx, Log l, Esc.LeaseOpenedEventDTO e, long now, CancellationToken ct)
    {
        var id = (long)e.LeaseId;
        var consumer = e.Consumer.ToLowerHex();
        var nonce = e.Nonce.ToString(CultureInfo.InvariantCulture);
        var jobId = await c.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT id FROM jobs WHERE consumer = @consumer AND nonce = @nonce", new { consumer, nonce }, tx, cancellationToken: ct));
        await c.ExecuteAsync(new CommandDefinition("""
            INSERT INTO leases (id, job_id, consumer, provider, offer_id, job_spec_hash, milli_ncu, price, max_duration_sec, lock_amount,
                start_sec, status, open_tx, updated_block)
            VALUES (@id, @jobId, @consumer, @provider, @offer, @hash, @m, @price, @dur, @lock, @start, 'open', @tx, @b)
            ON CONFLICT (id) DO NOTHING
            """, new
        {
            id, jobId, consumer, provider = e.Provider.ToLowerHex(), offer = (long)e.OfferId, hash = Hex.Encode(e.JobSpecHash),
            m = (long)e.MilliNcu, price = e.PricePerNcuHour.ToString(CultureInfo.InvariantCulture), dur = (long)e.MaxDurationSec,
            @lock = e.LockAmount.ToString(CultureInfo.InvariantCulture), start = (long)e.StartTime, tx = l.TransactionHash, b = (long)l.BlockNumber,
        }, tx, cancellationToken: ct));
        if (jobId is not { } job) return;
        var changed = await c.ExecuteAsync(new CommandDefinition("""
            UPDATE jobs SET status = 'leased', lease_id = @id, provider = @provider, price = @price, updated_at = @now
            WHERE id = @job AND status IN ('submitted', 'open', 'matched', 'opening')
            """, new { id, provider = e.Provider.ToLowerHex(), price = e.PricePerNcuHour.ToString(CultureInfo.InvariantCulture), now, job },
            tx, cancellationToken: ct));
        if (changed == 1) await JobTimeline.AppendAsync(c, tx, job, "leased", $"lease {id} opened in {l.TransactionHash}", now, ct);
    }

    private static async Task LeaseEndedAsync(DbConnection c, DbTransaction tx, Range r, Log l, long leaseId, string status, string detail, long now, CancellationToken ct)
    {
        var lease = await c.QuerySingleOrDefaultAsync<(long OfferId, long MilliNcu, long? JobId, string Status)?>(new CommandDefinition(
            "SELECT offer_id, milli_ncu, job_id, status FROM leases WHERE id = @leaseId", new { leaseId }, tx, cancellationToken: ct));
        if (lease is not { } ls || ls.Status is "settled" or "reclaimed") return;
        await SetLeaseStatusAsync(c, tx, l, leaseId, status, ct);
        // Each lease-ending log has its own origin; the lease id keeps two endings in one log apart.
        await OutboxAsync(c, tx, r, l, Command.Release(0, 0, ls.OfferId, (ulong)ls.MilliNcu), now, ct, suffix: $":lease:{leaseId}");
        if (ls.JobId is not { } job) return;
        var changed = await c.ExecuteAsync(new CommandDefinition(
            "UPDATE jobs SET status = @status, updated_at = @now WHERE id = @job AND status NOT IN ('settled', 'reclaimed')",
            new { status, now, job }, tx, cancellationToken: ct));
        if (changed == 1) await JobTimeline.AppendAsync(c, tx, job, status, detail, now, ct);
    }

    private static Task SetLeaseStatusAsync(DbConnection c, DbTransaction tx, Log l, long leaseId, string status, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition("UPDATE leases SET status = @status, updated_block = @b WHERE id = @leaseId",
            new { status, b = (long)l.BlockNumber, leaseId }, tx, cancellationToken: ct));
}

using System.Numerics;
using Market.Billing.Sla;
using Market.Chain;
using Market.Chain.Contracts;
using Market.Chain.Contracts.LeaseEscrow.ContractDefinition;
using Market.Chain.Rpc;

namespace Market.Billing.Settlement;

public sealed partial class SettlementEngine
{
    private const byte StateOpen = 1, StateReclaimed = 6;

    /// <summary>
    /// Sorts a batch by (provider, offer, consumer, lease): consecutive leases of one party are credited
    /// with one storage write each on chain (docs/contracts.md, gas design).
    /// </summary>
    public static List<LeaseSettlement> SortForGas(IEnumerable<LeaseSettlement> leases) =>
        leases.OrderBy(l => l.Provider.ToLowerHex(), StringComparer.Ordinal).ThenBy(l => l.OfferId)
            .ThenBy(l => l.Consumer.ToLowerHex(), StringComparer.Ordinal).ThenBy(l => l.LeaseId).ToList();

    private async Task ProposeDueAsync(ulong now, CancellationToken ct)
    {
        var planned = SortForGas(_due.Values.Select(d => Plan(d.Facts, d.Decision)));
        _due.Clear();
        _oldestDue.Reset();
        for (var i = 0; i < planned.Count; i += _options.MaxBatchSize)
            await ProposeAsync(planned.GetRange(i, Math.Min(_options.MaxBatchSize, planned.Count - i)), ct);
    }

    private LeaseSettlement Plan(LeaseFacts f, SlaDecision d) => new()
    {
        LeaseId = f.LeaseId, Consumer = f.Consumer, Provider = f.Provider, OfferId = f.OfferId, PricePerNcuHour = f.PricePerNcuHour,
        LockAmount = f.LockAmount, PenaltyBps = f.PenaltyBps, Usage = d.Usage, Verdict = d.Verdict, Evidence = d.EvidenceJson(),
        State = LeaseBillingState.Planned, UpdatedAtMs = NowMs(),
    };

    /// <summary>Persists the intent (entries in their final order), then sends it.</summary>
    private async Task ProposeAsync(List<LeaseSettlement> leases, CancellationToken ct)
    {
        var key = Guid.NewGuid().ToString("N");
        leases = leases.Select(l => l with { BatchKey = key }).ToList();
        var batch = new BatchRecord
        {
            Key = key, State = BatchState.Intent, Entries = SettlementEntry.PackAll(leases.Select(l => l.Entry)),
            CreatedBlock = await _client.BlockNumberAsync(ct), CreatedAtMs = NowMs(),
        };
        await _store.SaveAsync(batch, leases, ct);
        await Fault("intent-saved");
        await SendProposalAsync(batch, leases, ct);
    }

    /// <summary>
    /// Sends a persisted intent. A lease that is no longer Open is dropped (reclaimed by its consumer, or
    /// settled by someone else) unless the chain shows that this very intent was already proposed.
    /// </summary>
    private async Task SendProposalAsync(BatchRecord batch, List<LeaseSettlement> leases, CancellationToken ct)
    {
        while (true)
        {
            if (leases.Count == 0)
            {
                await _store.SaveAsync(batch with { State = BatchState.Abandoned }, [], ct);
                return;
            }
            try
            {
                var hash = await Escrow.ProposeSettlementRequestAsync(batch.Entries.ToList(), ct);
                batch = batch with { ProposeTx = hash };
                await _store.SaveAsync(batch, [], ct);
                await Fault("proposal-sent");
                var receipt = await _client.WaitForReceiptAsync(hash, ct: ct);
                if (receipt.Succeeded) { await RecordProposedAsync(batch, leases, receipt, ct); return; }
                // Mined but reverted: an earlier send of the same intent may have won the race.
                if (await TryAdoptAsync(batch, leases, leases[0].LeaseId, ct)) return;
                throw new InvalidOperationException($"proposal {hash} reverted");
            }
            catch (LeaseEscrowLeaseNotOpenException e)
            {
                if (await TryAdoptAsync(batch, leases, (ulong)e.LeaseId, ct)) return;
                (batch, leases) = await DropAsync(batch, leases, (ulong)e.LeaseId, e.State, ct);
            }
            catch (LeaseEscrowUsageExceedsBoundException e)
            {
                // Our clock ran ahead of the chain's: settle at the bound the chain states.
                leases = leases.Select(l => l.LeaseId == (ulong)e.LeaseId ? l with { Usage = BigInteger.Min(l.Usage, e.MaxUsage) } : l).ToList();
                batch = batch with { Entries = SettlementEntry.PackAll(leases.Select(l => l.Entry)), ProposeTx = null };
                await _store.SaveAsync(batch, leases, ct);
            }
        }
    }

    private async Task<(BatchRecord, List<LeaseSettlement>)> DropAsync(BatchRecord batch, List<LeaseSettlement> leases, ulong leaseId, byte state,
        CancellationToken ct)
    {
        var lease = leases.Single(l => l.LeaseId == leaseId);
        var dropped = state == StateReclaimed
            ? lease with { State = LeaseBillingState.Reclaimed, BatchKey = null, Refund = lease.LockAmount, UpdatedAtMs = NowMs() }
            : lease with { State = LeaseBillingState.Superseded, BatchKey = null, UpdatedAtMs = NowMs() };
        if (state == StateReclaimed) Stats.LeasesReclaimed++;
        _log($"lease {leaseId} is no longer open (state {state}); left out of the proposal");
        leases = leases.Where(l => l.LeaseId != leaseId).ToList();
        batch = batch with { Entries = SettlementEntry.PackAll(leases.Select(l => l.Entry)), ProposeTx = null };
        await _store.SaveAsync(batch, [dropped, .. leases], ct);
        return (batch, leases);
    }

    /// <summary>
    /// Whether the chain holds a proposal of exactly this intent (sent before a crash or a lost answer):
    /// the lease's batch id leads to its SettlementProposed event, whose entries must equal ours.
    /// </summary>
    private async Task<bool> TryAdoptAsync(BatchRecord batch, List<LeaseSettlement> leases, ulong leaseId, CancellationToken ct)
    {
        var view = await Escrow.GetLeaseQueryAsync(leaseId, ct: ct);
        if (view.State == StateOpen || view.BatchId.IsZero) return false;
        var proposed = (await Escrow.GetSettlementProposedEventsAsync(batch.CreatedBlock, ct: ct))
            .FirstOrDefault(e => e.Event.BatchId == view.BatchId);
        if (proposed is null || !proposed.Event.Entries.SequenceEqual(batch.Entries)) return false;
        var receipt = await _client.WaitForReceiptAsync(proposed.Log.TransactionHash, ct: ct);
        await RecordProposedAsync(batch, leases, receipt, ct);
        _log($"batch {view.BatchId} was already on chain; adopted");
        return true;
    }

    private async Task RecordProposedAsync(BatchRecord batch, List<LeaseSettlement> leases, TransactionReceipt receipt, CancellationToken ct)
    {
        var e = EventDecoding.DecodeSingle<SettlementProposedEventDTO>(receipt, Escrow.ContractAddress);
        var onChain = await Escrow.GetBatchQueryAsync(e.BatchId, ct: ct);
        batch = batch with
        {
            State = BatchState.Proposed, BatchId = e.BatchId, WindowEnd = e.WindowEnd, FeeBps = onChain.FeeBps,
            ProposeTx = receipt.TransactionHash, ProposeBlock = receipt.BlockNumber, ProposeGas = receipt.GasUsed,
        };
        var now = NowMs();
        await _store.SaveAsync(batch, leases.Select(l => l with
        {
            State = LeaseBillingState.Proposed, BatchId = e.BatchId, ProposeTx = receipt.TransactionHash, UpdatedAtMs = now,
        }).ToList(), ct);
        Stats.Batches++;
        Stats.LeasesProposed += leases.Count;
        Stats.ProposeGas += receipt.GasUsed;
        _log($"proposed batch {e.BatchId}: {leases.Count} leases in {receipt.TransactionHash}, window ends {e.WindowEnd}");
        await Fault("proposed");
    }

    private async Task ReconcileIntentAsync(BatchRecord batch, CancellationToken ct)
    {
        var leases = (await _store.LeasesOfBatchAsync(batch.Key, ct)).Where(l => l.State == LeaseBillingState.Planned).ToList();
        if (batch.ProposeTx is { } tx && await _client.GetTransactionReceiptAsync(tx, ct) is { Succeeded: true } receipt)
        {
            await RecordProposedAsync(batch, leases, receipt, ct);
            return;
        }
        if (leases.Count > 0 && await TryAdoptAsync(batch, leases, leases[0].LeaseId, ct)) return;
        await SendProposalAsync(batch, leases, ct);
    }
}

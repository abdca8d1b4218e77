using System.Numerics;
using Market.Chain.Contracts;
using Market.Chain.Contracts.LeaseEscrow.ContractDefinition;
using Market.Chain.Rpc;

namespace Market.Billing.Settlement;

public sealed partial class SettlementEngine
{
    private const byte StateDisputed = 3, StateResolved = 4, StateSettled = 5;

    private async Task FinalizeDueAsync(ulong now, CancellationToken ct)
    {
        foreach (var batch in await _store.UnfinishedBatchesAsync(ct))
        {
            if (batch.State == BatchState.Intent) { await ReconcileIntentAsync(batch, ct); continue; }
            if (batch.WindowEnd <= now) await FinalizeAsync(batch, ct);
        }
    }

    /// <summary>
    /// Finalizes a proposed batch with the entries it was proposed with. A batch someone else finalized
    /// is recorded from its BatchFinalized event. Leases disputed inside the window stay held.
    /// </summary>
    private async Task FinalizeAsync(BatchRecord batch, CancellationToken ct)
    {
        TransactionReceipt? receipt;
        try
        {
            receipt = await Escrow.FinalizeRequestAndWaitForReceiptAsync(batch.BatchId!.Value, batch.Entries.ToList(), ct);
            Stats.FinalizeGas += receipt.GasUsed;
        }
        catch (LeaseEscrowChallengeWindowOpenException) { return; }
        catch (LeaseEscrowBatchNotPendingException)
        {
            var done = (await Escrow.GetBatchFinalizedEventsAsync(batch.ProposeBlock, ct: ct)).FirstOrDefault(e => e.Event.BatchId == batch.BatchId);
            receipt = done is null ? null : await _client.WaitForReceiptAsync(done.Log.TransactionHash, ct: ct);
        }
        await Fault("finalized");
        var fin = receipt is null ? null : EventDecoding.DecodeAll<BatchFinalizedEventDTO>(receipt, Escrow.ContractAddress).FirstOrDefault(e => e.Event.BatchId == batch.BatchId);
        var penalties = receipt is null ? [] : EventDecoding.DecodeAll<PenaltyPaidEventDTO>(receipt, Escrow.ContractAddress)
            .ToDictionary(p => (ulong)p.Event.LeaseId, p => p.Event.Amount);
        var leases = (await _store.LeasesOfBatchAsync(batch.Key, ct)).Where(l => l.State == LeaseBillingState.Proposed).ToList();
        var allSettled = fin is not null && fin.Event.Settled == leases.Count;
        var now = NowMs();
        var updated = new List<LeaseSettlement>(leases.Count);
        foreach (var l in leases)
        {
            var state = allSettled ? StateSettled : await Escrow.LeaseStateOfQueryAsync(l.LeaseId, ct: ct);
            if (state is StateDisputed or StateResolved) { updated.Add(l with { State = LeaseBillingState.Disputed, UpdatedAtMs = now }); continue; }
            var a = Money.BillingMath.Settle(l.LockAmount, l.Usage, l.PricePerNcuHour, l.Verdict, l.PenaltyBps, batch.FeeBps);
            updated.Add(l with
            {
                State = LeaseBillingState.Settled, SettleTx = receipt?.TransactionHash, Charge = a.Charge, Fee = a.Fee, ProviderPaid = a.ProviderPaid,
                Refund = a.Refund, Penalty = penalties.GetValueOrDefault(l.LeaseId), UpdatedAtMs = now,
            });
            Stats.LeasesSettled++;
        }
        await _store.SaveAsync(batch with { State = BatchState.Finalized, FinalizeTx = receipt?.TransactionHash, FinalizeGas = receipt?.GasUsed ?? 0 }, updated, ct);
        _log($"finalized batch {batch.BatchId}: {updated.Count(u => u.State == LeaseBillingState.Settled)} settled, {updated.Count(u => u.State == LeaseBillingState.Disputed)} held");
    }

    /// <summary>Disputed leases: wait for the arbiter, then finalizeResolved (or record who did, or the reclaim).</summary>
    private async Task FollowHeldAsync(CancellationToken ct)
    {
        foreach (var l in await _store.HeldLeasesAsync(ct))
        {
            var state = await Escrow.LeaseStateOfQueryAsync(l.LeaseId, ct: ct);
            if (state == StateDisputed) continue;
            var from = l.BatchKey is { } k && await _store.BatchAsync(k, ct) is { } b ? b.ProposeBlock : 0;
            TransactionReceipt? receipt = null;
            if (state == StateResolved)
            {
                try { receipt = await Escrow.FinalizeResolvedRequestAndWaitForReceiptAsync(l.LeaseId, ct); }
                catch (LeaseEscrowLeaseNotResolvedException) { continue; }
            }
            else if (state == StateSettled)
            {
                var done = (await Escrow.GetLeaseSettledEventsAsync(from, ct: ct)).FirstOrDefault(e => e.Event.LeaseId == l.LeaseId);
                if (done is not null) receipt = await _client.WaitForReceiptAsync(done.Log.TransactionHash, ct: ct);
            }
            else if (state == StateReclaimed)
            {
                var back = (await Escrow.GetLeaseReclaimedEventsAsync(from, ct: ct)).FirstOrDefault(e => e.Event.LeaseId == l.LeaseId);
                await _store.SaveAsync(null, [l with
                {
                    State = LeaseBillingState.Reclaimed, SettleTx = back?.Log.TransactionHash, Charge = 0, Fee = 0, ProviderPaid = 0,
                    Refund = back?.Event.Amount ?? l.LockAmount, Penalty = 0, UpdatedAtMs = NowMs(),
                }], ct);
                Stats.LeasesReclaimed++;
                continue;
            }
            if (receipt is null) continue;
            var settled = EventDecoding.DecodeAll<LeaseSettledEventDTO>(receipt, Escrow.ContractAddress).First(e => e.Event.LeaseId == l.LeaseId).Event;
            var ruling = (await Escrow.GetDisputeResolvedEventsAsync(from, ct: ct)).LastOrDefault(e => e.Event.LeaseId == l.LeaseId)?.Event;
            await _store.SaveAsync(null, [l with
            {
                State = LeaseBillingState.Settled, SettleTx = receipt.TransactionHash, Charge = settled.Charge, Fee = settled.Fee,
                ProviderPaid = settled.Charge - settled.Fee, Refund = settled.Refund, Penalty = settled.Penalty,
                Usage = ruling?.Usage ?? l.Usage, Verdict = ruling is null ? l.Verdict : (Verdict)ruling.Verdict, UpdatedAtMs = NowMs(),
            }], ct);
            Stats.ResolvedDisputes++;
            Stats.LeasesSettled++;
            _log($"lease {l.LeaseId}: dispute resolved and settled in {receipt.TransactionHash}");
        }
    }
}

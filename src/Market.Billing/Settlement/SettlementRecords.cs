using System.Numerics;
using Market.Chain;
using Market.Chain.Contracts;

namespace Market.Billing.Settlement;

/// <summary>
/// Where billing holds a lease: <c>Planned</c> (in a batch intent, maybe sent) → <c>Proposed</c> →
/// <c>Settled</c>; a dispute inside the window makes it <c>Disputed</c> (held) until the arbiter
/// rules and finalizeResolved settles it. <c>Reclaimed</c>: the consumer took the lock back.
/// <c>Superseded</c>: someone else settled it (never counted here).
/// </summary>
public enum LeaseBillingState { Planned, Proposed, Disputed, Settled, Reclaimed, Superseded }

/// <summary><c>Intent</c>: entries persisted before sending (ProposeTx once sent) → <c>Proposed</c> → <c>Finalized</c>; <c>Abandoned</c>: no lease left to propose.</summary>
public enum BatchState { Intent, Proposed, Finalized, Abandoned }

/// <summary>One lease as billing settles it. Amounts are filled at settlement (from the chain's events).</summary>
public sealed record LeaseSettlement
{
    public required ulong LeaseId { get; init; }
    public required Address Consumer { get; init; }
    public required Address Provider { get; init; }
    public required ulong OfferId { get; init; }
    public required BigInteger PricePerNcuHour { get; init; }
    public required BigInteger LockAmount { get; init; }
    public required ushort PenaltyBps { get; init; }
    public required BigInteger Usage { get; init; }
    public required Verdict Verdict { get; init; }
    public required string Evidence { get; init; }
    public LeaseBillingState State { get; init; }
    public string? BatchKey { get; init; }
    public BigInteger? BatchId { get; init; }
    public string? ProposeTx { get; init; }
    public string? SettleTx { get; init; }
    public BigInteger Charge { get; init; }
    public BigInteger Fee { get; init; }
    public BigInteger ProviderPaid { get; init; }
    public BigInteger Refund { get; init; }
    public BigInteger Penalty { get; init; }
    public long UpdatedAtMs { get; init; }

    public SettlementEntry Entry => new(LeaseId, (UInt128)Usage, Verdict);
    public bool IsFinal => State is LeaseBillingState.Settled or LeaseBillingState.Reclaimed or LeaseBillingState.Superseded;
}

/// <summary>One proposal: its entries exactly as sent (finalize must repeat them in the same order).</summary>
public sealed record BatchRecord
{
    public required string Key { get; init; }
    public required BatchState State { get; init; }
    public required IReadOnlyList<BigInteger> Entries { get; init; }
    public required ulong CreatedBlock { get; init; }
    public long CreatedAtMs { get; init; }
    public BigInteger? BatchId { get; init; }
    public ulong WindowEnd { get; init; }
    public ushort FeeBps { get; init; }
    public string? ProposeTx { get; init; }
    public ulong ProposeBlock { get; init; }
    public BigInteger ProposeGas { get; init; }
    public string? FinalizeTx { get; init; }
    public BigInteger FinalizeGas { get; init; }
}

using Market.Chain;
using Market.Chain.Bids;
using Market.Protocol.Agents;

namespace ProviderAgent.Leases;

/// <summary>The verdict on a received lease: the on-chain terms to run it under, or why it is refused.</summary>
public sealed record LeaseVerdict(bool Ok, string? Reason, ChainLease? Lease)
{
    public static LeaseVerdict Refuse(string reason) => new(false, reason, null);
}

/// <summary>
/// Decides whether a lease the market handed over may run: it must exist on chain, be Open, belong
/// to this provider, and the job spec received must hash (Keccak-256 of its canonical JSON) to the
/// jobSpecHash the consumer signed, as recorded in the lease's LeaseOpened event. The market's own
/// copy of the hash is not trusted. A lease that fails any check is refused and never run.
/// </summary>
public sealed class LeaseVerifier(ILeaseChainReader chain, Address provider)
{
    public const byte OpenState = 1;

    public async Task<LeaseVerdict> VerifyAsync(LeaseAssignment a, CancellationToken ct)
    {
        if (a.LeaseId <= 0) return LeaseVerdict.Refuse("lease id must be positive");
        if (string.IsNullOrEmpty(a.SpecJson)) return LeaseVerdict.Refuse("the lease carries no job spec");
        byte[] received;
        try { received = JobSpecHash.Compute(a.SpecJson); }
        catch (Exception e) when (e is ChainException or System.Text.Json.JsonException or ArgumentException or FormatException)
        {
            return LeaseVerdict.Refuse($"the job spec is not canonicalizable JSON: {e.Message}");
        }
        var lease = await chain.GetLeaseAsync(a.LeaseId, ct);
        if (lease is null) return LeaseVerdict.Refuse($"lease {a.LeaseId} does not exist on chain");
        if (lease.Provider != provider) return LeaseVerdict.Refuse($"lease {a.LeaseId} belongs to provider {lease.Provider}, not to {provider}");
        if (lease.State != OpenState) return LeaseVerdict.Refuse($"lease {a.LeaseId} is not open on chain (state {lease.State})");
        var signed = await chain.GetJobSpecHashAsync(a.LeaseId, ct);
        if (signed is null) return LeaseVerdict.Refuse($"no LeaseOpened event for lease {a.LeaseId}");
        if (!signed.AsSpan().SequenceEqual(received))
            return LeaseVerdict.Refuse($"job spec hash mismatch: the spec received hashes to {Hex.Encode(received)}, the consumer signed {Hex.Encode(signed)}");
        return new LeaseVerdict(true, null, lease);
    }
}

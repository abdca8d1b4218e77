using System.Numerics;
using Market.Chain;
using Market.Chain.Contracts;
using Market.Chain.Contracts.LeaseEscrow.ContractDefinition;

namespace ProviderAgent.Leases;

/// <summary>A lease as the chain records it (LeaseEscrow.getLease), plus the jobSpecHash of its LeaseOpened event.</summary>
public sealed record ChainLease(Address Provider, Address Consumer, ulong MilliNcu, ulong StartTime, uint MaxDurationSec, byte State);

/// <summary>What the verifier reads from the chain; a fake in unit tests, <see cref="ChainLeaseReader"/> for real.</summary>
public interface ILeaseChainReader
{
    /// <summary>The lease, or null when the chain has none with this id.</summary>
    Task<ChainLease?> GetLeaseAsync(long leaseId, CancellationToken ct);

    /// <summary>jobSpecHash of the lease's LeaseOpened event, or null when no such event exists.</summary>
    Task<byte[]?> GetJobSpecHashAsync(long leaseId, CancellationToken ct);
}

/// <summary>
/// Reads leases from LeaseEscrow: <c>getLease</c> for the terms and <c>eth_getLogs</c> on
/// <c>LeaseOpened</c> filtered by the indexed leaseId for the hash (docs/contracts.md: the hash is
/// only in the event; receipts cannot be forged).
/// </summary>
public sealed class ChainLeaseReader(MarketContracts contracts) : ILeaseChainReader
{
    public async Task<ChainLease?> GetLeaseAsync(long leaseId, CancellationToken ct)
    {
        LeaseView v;
        try { v = await contracts.Escrow.GetLeaseQueryAsync(new BigInteger(leaseId), ct: ct); }
        catch (ContractRevertException) { return null; }
        if (v.Provider == default || v.State == 0) return null;
        return new ChainLease(v.Provider, v.Consumer, v.MilliNcu, v.StartTime, v.MaxDurationSec, v.State);
    }

    public async Task<byte[]?> GetJobSpecHashAsync(long leaseId, CancellationToken ct)
    {
        var topic = new byte[32]; // the indexed uint256 leaseId, big-endian
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(topic.AsSpan(24), leaseId);
        var events = await contracts.Escrow.GetEventsAsync<LeaseOpenedEventDTO>(contracts.Deployment.StartBlock, null, [new[] { topic }], ct);
        var e = events.FirstOrDefault(x => x.Event.LeaseId == leaseId);
        return e?.Event.JobSpecHash;
    }
}

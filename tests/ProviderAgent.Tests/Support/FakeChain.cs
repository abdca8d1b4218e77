using Market.Chain;
using ProviderAgent.Leases;

namespace ProviderAgent.Tests.Support;

/// <summary>A chain reader over a dictionary: lease id → terms and the signed jobSpecHash.</summary>
public sealed class FakeChain : ILeaseChainReader
{
    public Dictionary<long, (ChainLease Lease, byte[] Hash)> Leases { get; } = [];

    public Task<ChainLease?> GetLeaseAsync(long leaseId, CancellationToken ct) =>
        Task.FromResult(Leases.TryGetValue(leaseId, out var l) ? l.Lease : null);

    public Task<byte[]?> GetJobSpecHashAsync(long leaseId, CancellationToken ct) =>
        Task.FromResult(Leases.TryGetValue(leaseId, out var l) ? l.Hash : null);

    public static ChainLease Open(Address provider, ulong milliNcu = 800, ulong start = 1_000, uint duration = 600) =>
        new(provider, Address.Parse("0x14dC79964da2C08b23698B3D3cc7Ca32193d9955"), milliNcu, start, duration, LeaseVerifier.OpenState);
}

using Market.Chain.Bids;
using Market.Protocol.Agents;
using Market.TestSupport;
using ProviderAgent.Leases;
using ProviderAgent.Tests.Support;

namespace ProviderAgent.Tests.Leases;

public sealed class LeaseVerifierTests
{
    private static readonly Market.Chain.Address Me = DevelopmentKeys.AddressOf(4);
    private const string Spec = """{"image":"busybox:latest","command":["sh","-c","echo $((6*7))"],"milliNcu":800,"maxDurationSec":600}""";

    private static LeaseAssignment Lease(long id, string spec = Spec) => new(id, 1, "0x00", 1, "0x", spec, 800, "2000000", 600, 1_000);

    private static (FakeChain Chain, LeaseVerifier Verifier) Setup()
    {
        var chain = new FakeChain();
        chain.Leases[1] = (FakeChain.Open(Me), JobSpecHash.Compute(Spec));
        chain.Leases[2] = (FakeChain.Open(DevelopmentKeys.AddressOf(5)), JobSpecHash.Compute(Spec));
        chain.Leases[3] = (FakeChain.Open(Me) with { State = 5 }, JobSpecHash.Compute(Spec));
        return (chain, new LeaseVerifier(chain, Me));
    }

    [Fact]
    public async Task A_lease_whose_spec_hashes_to_the_signed_hash_is_accepted_with_the_chain_terms()
    {
        var verdict = await Setup().Verifier.VerifyAsync(Lease(1), default);
        Assert.True(verdict.Ok, verdict.Reason);
        Assert.Equal(800UL, verdict.Lease!.MilliNcu);
        // Canonical JSON: member order and whitespace do not change the hash.
        var reordered = """{ "maxDurationSec": 600, "milliNcu": 800, "command": ["sh","-c","echo $((6*7))"], "image": "busybox:latest" }""";
        Assert.True((await Setup().Verifier.VerifyAsync(Lease(1, reordered), default)).Ok);
    }

    [Theory]
    [InlineData(1, """{"image":"busybox:latest","command":["sh","-c","rm -rf /"],"milliNcu":800,"maxDurationSec":600}""", "hash mismatch")]
    [InlineData(2, Spec, "belongs to provider")]
    [InlineData(3, Spec, "not open")]
    [InlineData(4, Spec, "does not exist")]
    [InlineData(1, "{not json", "not canonicalizable")]
    [InlineData(1, "", "no job spec")]
    [InlineData(0, Spec, "must be positive")]
    public async Task A_lease_that_does_not_match_the_chain_is_refused_with_the_reason(long id, string spec, string reason)
    {
        var verdict = await Setup().Verifier.VerifyAsync(Lease(id, spec), default);
        Assert.False(verdict.Ok);
        Assert.Contains(reason, verdict.Reason);
    }
}

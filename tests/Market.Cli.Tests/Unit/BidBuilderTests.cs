using System.Numerics;
using System.Text.Json.Nodes;
using Market.Chain;
using Market.Chain.Bids;
using Market.Chain.Crypto;
using Market.Chain.Json;
using Market.Cli.Cli;
using Market.Cli.Jobs;
using Market.TestSupport;

namespace Market.Cli.Tests.Unit;

public sealed class BidBuilderTests
{
    private static readonly EthKey Key = DevelopmentKeys.Key(12);
    private static readonly Address Escrow = Address.Parse("0x5fbdb2315678afecb367f032d93f642f64180aa3");

    private static JsonObject Spec(string json) => (JsonObject)JsonNode.Parse(json)!;

    [Fact]
    public void A_bid_commits_to_the_canonical_spec_and_says_what_the_spec_says()
    {
        var spec = Spec("""{"maxDurationSec":600,"image":"busybox:latest","command":["sh","-c","echo hi"],"milliNcu":800,"computeType":0}""");
        var bid = BidBuilder.Build(spec, Key.Address, 3_000_000, 1_900_000_000, 7);
        Assert.Equal(Keccak256.Hash(System.Text.Encoding.UTF8.GetBytes(
            """{"command":["sh","-c","echo hi"],"computeType":0,"image":"busybox:latest","maxDurationSec":600,"milliNcu":800}""")), bid.JobSpecHash);
        Assert.Equal((0, 3, 800UL, 600U, (ushort)0), (bid.ComputeType, bid.Grade, bid.MilliNcu, bid.MaxDurationSec, bid.MinUptimeBps));
        Assert.Equal(new byte[32], bid.ConstraintsHash);
        Assert.Equal(new BigInteger(3_000_000), bid.MaxPricePerNcuHour);
        Assert.Equal(1_900_000_000UL, bid.Deadline);
    }

    [Fact]
    public void Constraints_are_hashed_canonically_and_carry_the_uptime()
    {
        var spec = Spec("""{"image":"x","command":["x"],"milliNcu":20000,"maxDurationSec":60,"constraints":{"regions":["eu-west"],"minUptimeBps":9500}}""");
        var bid = BidBuilder.Build(spec, Key.Address, 1, 1, 1);
        Assert.Equal(Keccak256.Hash(System.Text.Encoding.UTF8.GetBytes(CanonicalJson.Canonicalize("""{"minUptimeBps":9500,"regions":["eu-west"]}"""))), bid.ConstraintsHash);
        Assert.Equal((ushort)9500, bid.MinUptimeBps);
        Assert.Equal(2, bid.Grade);
    }

    [Theory]
    [InlineData(1000, 10, 200)]      // 2 × 1000 / 10
    [InlineData(1000, 3, 667)]       // ceil(666.67)
    [InlineData(1, 3600, 1)]
    [InlineData(5_000_000, 1, 10_000_000)]
    public void Work_and_deadline_give_ceil_of_twice_the_work_over_the_deadline(long gflop, long deadlineSec, ulong milliNcu) =>
        Assert.Equal(milliNcu, BidBuilder.NeededMilliNcu(Spec("{\"work\":{\"gflop\":" + gflop + ",\"deadlineSec\":" + deadlineSec + "}}")));

    [Theory]
    [InlineData(499, 4)]
    [InlineData(500, 3)]
    [InlineData(9_999, 3)]
    [InlineData(10_000, 2)]
    [InlineData(1_000_000, 2)]
    [InlineData(1_000_001, 1)]
    public void Grades_follow_the_thresholds(long milliNcu, byte grade) =>
        Assert.Equal(grade, BidBuilder.Build(Spec($$"""{"milliNcu":{{milliNcu}},"maxDurationSec":1}"""), Key.Address, 1, 1, 1).Grade);

    [Theory]
    [InlineData("""{"maxDurationSec":1}""", "exactly one of milliNcu or work")]
    [InlineData("""{"milliNcu":1,"work":{"gflop":1,"deadlineSec":1},"maxDurationSec":1}""", "exactly one")]
    [InlineData("""{"milliNcu":0,"maxDurationSec":1}""", "milliNcu must be")]
    [InlineData("""{"milliNcu":"800","maxDurationSec":1}""", "milliNcu must be")]
    [InlineData("""{"milliNcu":1.5,"maxDurationSec":1}""", "milliNcu must be")]
    [InlineData("""{"milliNcu":800}""", "maxDurationSec is required")]
    [InlineData("""{"milliNcu":800,"maxDurationSec":1,"computeType":3}""", "computeType")]
    [InlineData("""{"work":{"gflop":1},"maxDurationSec":1}""", "work.deadlineSec")]
    [InlineData("""{"milliNcu":800,"maxDurationSec":1,"constraints":{"minUptimeBps":10001}}""", "minUptimeBps")]
    public void Specs_that_cannot_make_a_bid_are_usage_errors(string json, string message)
    {
        var e = Assert.Throws<CliException>(() => BidBuilder.Build(Spec(json), Key.Address, 1, 1, 1));
        Assert.Equal(ExitCodes.Usage, e.ExitCode);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void The_signed_bid_verifies_for_its_chain_and_escrow_only()
    {
        var bid = BidBuilder.Build(Spec("""{"milliNcu":800,"maxDurationSec":600}"""), Key.Address, 3_000_000, 1_900_000_000, 42);
        var signer = new BidSigner(31337, Escrow);
        var signature = signer.Sign(bid, Key).ToBytes();
        Assert.True(signer.Verify(bid, signature));
        Assert.False(new BidSigner(1, Escrow).Verify(bid, signature));
        Assert.False(signer.Verify(bid with { MaxPricePerNcuHour = 3_000_001 }, signature));
    }

    [Fact]
    public void The_bid_JSON_has_the_API_shape()
    {
        var bid = BidBuilder.Build(Spec("""{"milliNcu":800,"maxDurationSec":600}"""), Key.Address, 3_000_000, 1_900_000_000, BigInteger.Pow(2, 100));
        var json = BidBuilder.ToJson(bid);
        Assert.Equal("3000000", json["maxPricePerNcuHour"]!.GetValue<string>());
        Assert.Equal(BigInteger.Pow(2, 100).ToString(), json["nonce"]!.GetValue<string>());
        Assert.Equal(66, json["jobSpecHash"]!.GetValue<string>().Length);
        Assert.Equal(Key.Address.ToString(), json["consumer"]!.GetValue<string>());
        Assert.Equal(11, json.Count);
    }
}

using System.Numerics;
using Market.Chain.Crypto;
using Market.Chain.Eip712;
using Market.Chain.Usage;

namespace Market.Chain.Tests.Unit;

public sealed class UsageReportSignerTests
{
    private static readonly Address Escrow = Address.Parse("0xcf7ed3acca5a467e9e704c703e8d87f634fb0fc9");
    private static readonly EthKey Provider = new("0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a");

    [Fact]
    public void The_direct_hash_equals_the_generic_eip712_hash()
    {
        // The generic encoder is cross-checked byte for byte against ethers; the fast path must agree with it.
        var r = new UsageReport(7, 3, 1_790_000_000, 1_790_000_060, 48_000);
        var generic = new TypedData(
            new Eip712Domain { Name = "ComputeMarket", Version = "1", ChainId = 31337, VerifyingContract = Escrow },
            new Dictionary<string, IReadOnlyList<TypedDataField>>
            {
                ["UsageReport"] = [new("leaseId", "uint256"), new("seq", "uint64"), new("fromTime", "uint64"), new("toTime", "uint64"), new("milliNcuSeconds", "uint256")],
            },
            "UsageReport",
            new Dictionary<string, object?> { ["leaseId"] = 7, ["seq"] = 3, ["fromTime"] = 1_790_000_000L, ["toTime"] = 1_790_000_060L, ["milliNcuSeconds"] = 48_000 });
        Assert.Equal(Hex.Encode(generic.Hash()), Hex.Encode(new UsageReportSigner(31337, Escrow).Hash(r)));
    }

    [Fact]
    public void Sign_then_recover_gives_the_provider_and_any_change_does_not()
    {
        var signer = new UsageReportSigner(31337, Escrow);
        var r = new UsageReport(7, 3, 100, 160, 48_000);
        var sig = signer.Sign(r, Provider).ToBytes();
        Assert.Equal(Provider.Address, signer.Recover(r, sig));
        Assert.NotEqual(Provider.Address, signer.Recover(r with { MilliNcuSeconds = 48_001 }, sig));
        Assert.NotEqual(Provider.Address, new UsageReportSigner(1, Escrow).Recover(r, sig));
        Assert.Null(signer.Recover(r, new byte[64]));
        Assert.Null(signer.Recover(r, [.. new byte[64], 99]));
    }
}

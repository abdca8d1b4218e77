using System.Numerics;
using Market.Chain.Bids;
using Market.Chain.Crypto;
using Market.Chain.Eip712;

namespace Market.Chain.Tests.CrossCheck;

public class TypedDataCrossCheckTests
{
    [Fact]
    public void Nested_typed_data_hashes_signs_and_recovers_like_ethers()
    {
        int n = 0;
        foreach (var c in EthersVectors.Get("typed").EnumerateArray())
        {
            var json = c.GetProperty("json").GetString()!;
            var data = TypedDataJson.Parse(json);
            Assert.Equal(c.GetProperty("encodeType").GetString(), Eip712Encoder.EncodeType("Main", data.Types));
            Assert.Equal(c.GetProperty("hash").GetString(), Hex.Encode(data.Hash()));
            var key = new EthKey(c.GetProperty("privateKey").GetString()!);
            Assert.Equal(c.GetProperty("signature").GetString(), Eip712Signer.SignTypedData(data, key).ToHex());
            Assert.Equal(Address.Parse(c.GetProperty("address").GetString()!), Eip712Signer.RecoverTypedData(json, c.GetProperty("signature").GetString()!));
            n++;
        }
        Assert.Equal(50, n);
    }

    [Fact]
    public void Bids_hash_and_sign_like_ethers()
    {
        foreach (var c in EthersVectors.Get("bids").EnumerateArray())
        {
            var b = c.GetProperty("bid");
            BigInteger N(string name) => BigInteger.Parse(b.GetProperty(name).ValueKind == System.Text.Json.JsonValueKind.Number ? b.GetProperty(name).GetRawText() : b.GetProperty(name).GetString()!);
            var bid = new Bid
            {
                Consumer = Address.Parse(b.GetProperty("consumer").GetString()!),
                JobSpecHash = Hex.Decode(b.GetProperty("jobSpecHash").GetString(), 32),
                ComputeType = (byte)N("computeType"), Grade = (byte)N("grade"), MilliNcu = (ulong)N("milliNcu"),
                MaxPricePerNcuHour = N("maxPricePerNcuHour"), MaxDurationSec = (uint)N("maxDurationSec"), MinUptimeBps = (ushort)N("minUptimeBps"),
                ConstraintsHash = Hex.Decode(b.GetProperty("constraintsHash").GetString(), 32), Nonce = N("nonce"), Deadline = (ulong)N("deadline"),
            };
            var signer = new BidSigner(c.GetProperty("chainId").GetInt32(), Address.Parse(c.GetProperty("escrow").GetString()!));
            Assert.Equal(c.GetProperty("hash").GetString(), Hex.Encode(signer.Hash(bid)));
            Assert.Equal(c.GetProperty("hash").GetString(), Hex.Encode(signer.ToTypedData(bid).Hash()));
            var key = new EthKey(c.GetProperty("privateKey").GetString()!);
            Assert.Equal(c.GetProperty("signature").GetString(), signer.Sign(bid, key).ToHex());
            Assert.True(signer.Verify(bid, Hex.Decode(c.GetProperty("signature").GetString())));
            Assert.False(signer.Verify(bid with { Deadline = bid.Deadline ^ 1 }, Hex.Decode(c.GetProperty("signature").GetString())));
        }
    }
}

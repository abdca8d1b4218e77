using System.Numerics;
using Market.Chain.Abi;
using Market.Chain.Bids;
using Market.Chain.Contracts;
using Market.Chain.Crypto;
using Market.Chain.Eip712;
using Market.Chain.Json;
using Org.BouncyCastle.Crypto.Digests;

namespace Market.Chain.Tests.Unit;

/// <summary>Published vectors and properties that need no node.</summary>
public class KnownAnswerTests
{
    [Fact]
    public void Keccak256_vectors_and_agreement_with_BouncyCastle()
    {
        Assert.Equal("0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470", Hex.Encode(Keccak256.Hash([])));
        Assert.Equal("0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45", Hex.Encode(Keccak256.Hash("abc")));
        var rng = new Random(1);
        foreach (var n in new[] { 1, 135, 136, 137, 271, 272, 1000, 5000 })
        {
            var data = new byte[n];
            rng.NextBytes(data);
            var bc = new KeccakDigest(256);
            bc.BlockUpdate(data, 0, n);
            var expected = new byte[32];
            bc.DoFinal(expected, 0);
            Assert.Equal(expected, Keccak256.Hash(data));
        }
    }

    [Fact]
    public void Eip55_vectors()
    {
        foreach (var a in new[] { "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359", "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB", "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb" })
            Assert.Equal(a, Address.Parse(a.ToLowerInvariant()).ToString());
    }

    [Fact]
    public void Eip712_mail_example_from_the_eip()
    {
        const string json = """
        {"types":{"EIP712Domain":[{"name":"name","type":"string"},{"name":"version","type":"string"},{"name":"chainId","type":"uint256"},{"name":"verifyingContract","type":"address"}],
         "Person":[{"name":"name","type":"string"},{"name":"wallet","type":"address"}],
         "Mail":[{"name":"from","type":"Person"},{"name":"to","type":"Person"},{"name":"contents","type":"string"}]},
         "primaryType":"Mail",
         "domain":{"name":"Ether Mail","version":"1","chainId":1,"verifyingContract":"0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC"},
         "message":{"from":{"name":"Cow","wallet":"0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826"},"to":{"name":"Bob","wallet":"0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB"},"contents":"Hello, Bob!"}}
        """;
        var data = TypedDataJson.Parse(json);
        Assert.Equal("Mail(Person from,Person to,string contents)Person(string name,address wallet)", Eip712Encoder.EncodeType("Mail", data.Types));
        Assert.Equal("0xbe609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2", Hex.Encode(data.Hash()));
        var cow = new EthKey(Keccak256.Hash("cow"));
        Assert.Equal("0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826", cow.Address.ToString());
        var sig = Eip712Signer.SignTypedData(data, cow);
        Assert.Equal("0x4355c47d63924e8a72e509b65029052eb6c299d53a04e167c5775fd466751c9d07299936d304c153f6443dfa05f40ff007d72911b6f72307f996231605b915621c", sig.ToHex());
    }

    [Fact]
    public void Eip155_example_from_the_eip()
    {
        var key = new EthKey("0x4646464646464646464646464646464646464646464646464646464646464646");
        var tx = new Transactions.LegacyTransaction
        {
            ChainId = 1, Nonce = 9, GasPrice = 20_000_000_000, GasLimit = 21000,
            To = Address.Parse("0x3535353535353535353535353535353535353535"), Value = BigInteger.Pow(10, 18),
        };
        Assert.Equal("0xdaf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53", Hex.Encode(tx.SigningHash()));
        Assert.Equal("0xf86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025a028ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83", tx.Sign(key).RawHex);
    }

    [Fact]
    public void Human_readable_abi_and_selectors()
    {
        var f = AbiFunction.Parse("function foo(uint256 amount, (address a, bytes b)[] items) external view returns (bool ok)");
        Assert.Equal("foo(uint256,(address,bytes)[])", f.Signature);
        Assert.True(f.IsReadOnly);
        Assert.Equal("0xa9059cbb", AbiFunction.Parse("function transfer(address,uint256) returns (bool)").SelectorHex);
        Assert.Equal("0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef", AbiEvent.Parse("event Transfer(address indexed from, address indexed to, uint256 value)").Topic0Hex);
        var call = f.EncodeCall(5, new List<object?> { new object?[] { Address.Zero, new byte[] { 1, 2 } } });
        var back = f.DecodeCall(call);
        Assert.Equal(new BigInteger(5), back[0]);
        var abi = ContractAbi.FromHumanReadable(["function foo(uint256)", "function foo(address)", "event E(string indexed s)", "error Bad(uint8 code)"]);
        Assert.Throws<AbiEncodingException>(() => abi.GetFunction("foo"));
        Assert.Equal("foo(address)", abi.GetFunction("foo(address)").Signature);
        var revert = RevertDecoder.Decode(abi.Errors[0].Encode(7), abi.Errors);
        Assert.Equal("Bad", revert.ErrorName);
        Assert.Equal(new BigInteger(7), revert.Arguments[0]);
        Assert.Null(RevertDecoder.Decode(Hex.Decode("0xdeadbeef")).ErrorName);
    }

    [Fact]
    public void Canonical_json_rules()
    {
        Assert.Equal("""{"a":[1,true,null],"b":"x\ny","é":{"A":1,"a":2}}""", CanonicalJson.Canonicalize("{ \"é\": {\"a\": 2, \"A\": 1}, \"b\": \"x\\ny\", \"a\": [1, true, null] }"));
        Assert.Equal("10", CanonicalJson.Canonicalize("1e1"));
        Assert.Throws<ChainException>(() => CanonicalJson.Canonicalize("1.5"));
        Assert.Throws<ChainException>(() => CanonicalJson.Canonicalize("{\"a\":1,\"a\":2}"));
        Assert.Throws<ChainException>(() => CanonicalJson.Canonicalize("9007199254740993"));
        Assert.Equal(JobSpecHash.Compute("{\"b\":1,\"a\":2}"), JobSpecHash.Compute("{ \"a\" : 2, \"b\" : 1 }"));
        Assert.Equal(Keccak256.Hash("{\"a\":2,\"b\":1}"), JobSpecHash.Compute("{\"b\":1,\"a\":2}"));
    }

    [Fact]
    public void Generated_bid_type_matches_the_contract()
    {
        // The hand-written Bid (bound to the contract's struct by ContractStructMap) must have the
        // contract's exact field list; the chain test checks hashBid on the real contract too.
        var openLease = Contracts.LeaseEscrow.LeaseEscrowService.Abi.GetFunction("openLease");
        var tuple = openLease.Inputs[0].Type;
        var fromContract = "Bid(" + string.Join(",", tuple.Components.Select(c => c.Type.CanonicalName + " " + c.Name)) + ")";
        Assert.Equal(BidSigner.TypeString, fromContract);
        Assert.Equal(new BigInteger(3) | (new BigInteger(4) << 64) | (BigInteger.One << 192), new SettlementEntry(3, 4, Verdict.Breached).Pack());
        Assert.Equal(new SettlementEntry(3, 4, Verdict.Breached), SettlementEntry.Unpack(new SettlementEntry(3, 4, Verdict.Breached).Pack()));
    }
}

using System.Numerics;
using Market.Chain.Abi;
using Market.Chain.Bids;
using Market.Chain.Crypto;
using Market.Chain.Eip712;
using Market.Chain.Keystore;
using Market.Chain.Rlp;
using Market.Chain.Transactions;

namespace Market.Chain.Tests.Unit;

/// <summary>Malformed input always ends in one of our exception types with a clear message.</summary>
public class BadInputTests
{
    private static readonly EthKey Key = new("0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318");

    [Theory]
    [InlineData("0x123")]
    [InlineData("0xzz")]
    [InlineData("12 34")]
    [InlineData("0x0g")]
    public void Malformed_hex(string text) => Assert.Throws<HexFormatException>(() => Hex.Decode(text));

    [Fact]
    public void Wrong_lengths()
    {
        Assert.Throws<HexFormatException>(() => Hex.Decode("0x1234", 32));
        Assert.Throws<HexFormatException>(() => Address.Parse("0x1234"));
        Assert.Throws<HexFormatException>(() => new Address(new byte[19]));
        Assert.Throws<SignatureException>(() => new EthKey(new byte[31]));
        Assert.Throws<SignatureException>(() => new EthKey(new byte[32]));
        Assert.Throws<SignatureException>(() => Key.SignHash(new byte[31]));
        Assert.Throws<SignatureException>(() => EthSignature.FromBytes(new byte[64]));
        Assert.Throws<HexFormatException>(() => Hex.DecodeQuantity("0x"));
        Assert.Throws<HexFormatException>(() => Hex.DecodeQuantity("12"));
    }

    [Fact]
    public void Bad_checksum_is_rejected_but_single_case_accepted()
    {
        const string good = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";
        Assert.Equal(good, Address.Parse(good).ToString());
        Assert.Equal(good, Address.Parse(good.ToLowerInvariant()).ToString());
        Assert.Throws<HexFormatException>(() => Address.Parse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"));
    }

    [Fact]
    public void High_s_and_bad_v_are_rejected()
    {
        var hash = Keccak256.Hash("x");
        var sig = Key.SignHash(hash);
        Assert.True(sig.IsLowS);
        var highS = BigEndian.ToPadded(Secp256k1.Order - BigEndian.ToBigInteger(sig.S));
        var bytes = sig.ToBytes();
        highS.CopyTo(bytes, 32);
        Assert.Contains("upper half", Assert.Throws<SignatureException>(() => EthSignature.FromBytes(bytes)).Message);
        foreach (byte v in new byte[] { 2, 26, 29, 35, 255 })
        {
            var b = sig.ToBytes();
            b[64] = v;
            Assert.Throws<SignatureException>(() => EthSignature.FromBytes(b));
        }
        Assert.Throws<SignatureException>(() => new EthSignature(new byte[32], new byte[32], 4));
        Assert.Throws<SignatureException>(() => Secp256k1.Recover(hash, new EthSignature(new byte[32], sig.S, 0)));
        // r = n (out of range) and an r that is not an x coordinate of the curve.
        Assert.Throws<SignatureException>(() => Secp256k1.Recover(hash, new EthSignature(BigEndian.ToPadded(Secp256k1.Order), sig.S, 0)));
        Assert.Throws<SignatureException>(() => Secp256k1.Recover(hash, new EthSignature(BigEndian.ToPadded(5), sig.S, 0)));
    }

    [Theory]
    [InlineData("0x")]                   // nothing
    [InlineData("0x83616263ff")]         // trailing byte
    [InlineData("0x8361")]               // truncated string
    [InlineData("0xc3616263c1")]         // list shorter than its content... then trailing
    [InlineData("0xc5616263")]           // truncated list
    [InlineData("0x8161")]               // single byte < 0x80 wrapped: non-canonical
    [InlineData("0xb80161")]             // long form for a 1-byte string: non-canonical
    [InlineData("0xb9000161")]           // length with a leading zero
    [InlineData("0xbf")]                 // length bytes missing
    public void Truncated_or_non_canonical_rlp(string hex) => Assert.Throws<RlpException>(() => RlpDecoder.Decode(Hex.Decode(hex)));

    [Fact]
    public void Rlp_integer_with_leading_zero_is_rejected()
    {
        var item = RlpDecoder.Decode(Hex.Decode("0x820001"));
        Assert.Throws<RlpException>(() => item.AsBigInteger());
        Assert.Throws<RlpException>(() => RlpDecoder.Decode(Hex.Decode("0xc0")).Bytes);
    }

    [Fact]
    public void Bad_transactions()
    {
        Assert.Throws<TransactionException>(() => TransactionDecoder.Decode("0x"));
        Assert.Throws<TransactionException>(() => TransactionDecoder.Decode("0x05c0"));
        Assert.Throws<TransactionException>(() => TransactionDecoder.Decode("0xc0"));
        Assert.ThrowsAny<ChainException>(() => TransactionDecoder.Decode("0x02c3010203"));
        var signed = new LegacyTransaction { ChainId = 1, Nonce = 1, GasPrice = 1, GasLimit = 21000, To = Key.Address }.Sign(Key);
        var raw = signed.Raw;
        Assert.ThrowsAny<ChainException>(() => TransactionDecoder.Decode(raw[..^3]));
        Assert.Throws<TransactionException>(() => new LegacyTransaction { Nonce = -1, ChainId = 1 }.SigningHash());
        Assert.Throws<TransactionException>(() => new Eip1559Transaction { ChainId = 1, Value = BigInteger.One << 256 }.SigningHash());
    }

    [Fact]
    public void Abi_data_too_short_or_offsets_outside()
    {
        Assert.Throws<AbiDecodingException>(() => AbiDecoder.Decode(["uint256"], new byte[31]));
        Assert.Throws<AbiDecodingException>(() => AbiDecoder.Decode(["uint256", "address"], new byte[32]));
        var offsetOutside = BigEndian.ToPadded(1000);
        Assert.Contains("outside", Assert.Throws<AbiDecodingException>(() => AbiDecoder.Decode(["bytes"], offsetOutside)).Message);
        var hugeLength = new byte[64];
        BigEndian.ToPadded(32).CopyTo(hugeLength, 0);
        BigEndian.ToPadded(BigInteger.Pow(2, 255)).CopyTo(hugeLength, 32);
        Assert.Throws<AbiDecodingException>(() => AbiDecoder.Decode(["bytes"], hugeLength));
        Assert.Throws<AbiDecodingException>(() => AbiDecoder.Decode(["uint256[]"], hugeLength));
        Assert.Throws<AbiDecodingException>(() => AbiDecoder.Decode(["uint8"], BigEndian.ToPadded(256)));
        Assert.Throws<AbiDecodingException>(() => AbiDecoder.Decode(["bool"], BigEndian.ToPadded(2)));
        Assert.Throws<AbiDecodingException>(() => AbiDecoder.Decode(["address"], Enumerable.Repeat((byte)0xff, 32).ToArray()));
        Assert.Throws<AbiDecodingException>(() => AbiDecoder.Decode(["int8"], BigEndian.ToPadded(200)));
        var badUtf8 = AbiEncoder.Encode(["bytes"], new byte[] { 0xff, 0xfe });
        Assert.Throws<AbiDecodingException>(() => AbiDecoder.Decode(["string"], badUtf8));
    }

    [Fact]
    public void Abi_values_that_do_not_fit()
    {
        Assert.Throws<AbiEncodingException>(() => AbiEncoder.Encode(["uint8"], 256));
        Assert.Throws<AbiEncodingException>(() => AbiEncoder.Encode(["int8"], -129));
        Assert.Throws<AbiEncodingException>(() => AbiEncoder.Encode(["uint256"], -1));
        Assert.Throws<AbiEncodingException>(() => AbiEncoder.Encode(["bytes4"], new byte[3]));
        Assert.Throws<AbiEncodingException>(() => AbiEncoder.Encode(["uint256[2]"], new List<object?> { 1 }));
        Assert.Throws<AbiEncodingException>(() => AbiEncoder.Encode(["bool"], "yes"));
        Assert.Throws<AbiEncodingException>(() => AbiEncoder.Encode(["uint256"], 1, 2));
        Assert.Throws<AbiEncodingException>(() => AbiType.Parse("uint7"));
        Assert.Throws<AbiEncodingException>(() => AbiType.Parse("bytes33"));
        Assert.Throws<AbiEncodingException>(() => AbiType.Parse("(uint256"));
        Assert.Throws<AbiEncodingException>(() => AbiType.Parse("uint256[0]"));
        Assert.Throws<AbiEncodingException>(() => AbiFunction.Parse("function f(uint256 a b c)"));
    }

    [Fact]
    public void Event_with_wrong_topics()
    {
        var ev = AbiEvent.Parse("event Transfer(address indexed from, address indexed to, uint256 value)");
        Assert.Throws<AbiDecodingException>(() => ev.Decode([ev.Topic0], BigEndian.ToPadded(1)));
        Assert.Throws<AbiDecodingException>(() => ev.Decode([new byte[32], new byte[32], new byte[32]], BigEndian.ToPadded(1)));
    }

    [Fact]
    public void Wrong_keystore_passphrase_and_malformed_keystores()
    {
        var json = KeyStoreV3.Encrypt(Key, "right", new ScryptParameters { N = 1024 });
        Assert.Equal(Key.PrivateKeyHex, KeyStoreV3.Decrypt(json, "right").PrivateKeyHex);
        Assert.Contains("wrong passphrase", Assert.Throws<KeystoreException>(() => KeyStoreV3.Decrypt(json, "wrong")).Message);
        Assert.Throws<KeystoreException>(() => KeyStoreV3.Decrypt("{", "x"));
        Assert.Throws<KeystoreException>(() => KeyStoreV3.Decrypt("""{"version":3}""", "x"));
        Assert.Throws<KeystoreException>(() => KeyStoreV3.Decrypt(json.Replace("\"version\":3", "\"version\":2"), "right"));
        Assert.Throws<KeystoreException>(() => KeyStoreV3.Decrypt(json.Replace("\"n\":1024", "\"n\":1000"), "right"));
        Assert.Throws<KeystoreException>(() => KeyStoreV3.Decrypt(json.Replace("aes-128-ctr", "aes-128-cbc"), "right"));
    }

    [Fact]
    public void Bad_typed_data()
    {
        Assert.Throws<TypedDataException>(() => TypedDataJson.Parse("[]"));
        Assert.Throws<TypedDataException>(() => TypedDataJson.Parse("{\"types\":{}}"));
        const string json = """{"types":{"EIP712Domain":[{"name":"name","type":"string"}],"M":[{"name":"a","type":"uint8"}]},"primaryType":"M","domain":{"name":"x"},"message":{"a":300}}""";
        Assert.Throws<TypedDataException>(() => TypedDataJson.Parse(json).Hash());
        Assert.Throws<TypedDataException>(() => TypedDataJson.Parse(json.Replace("\"a\":300", "\"b\":1")).Hash());
        Assert.Throws<TypedDataException>(() => TypedDataJson.Parse(json.Replace("\"primaryType\":\"M\"", "\"primaryType\":\"Q\"")).Hash());
        Assert.Throws<TypedDataException>(() => TypedDataJson.Parse(json.Replace("300", "1.5")));
        var signer = new BidSigner(1, Address.Zero);
        Assert.Throws<TypedDataException>(() => signer.Hash(new Bid { Consumer = Address.Zero, JobSpecHash = new byte[31] }));
        Assert.False(signer.Verify(new Bid { Consumer = Address.Zero, JobSpecHash = new byte[32] }, new byte[65]));
    }
}

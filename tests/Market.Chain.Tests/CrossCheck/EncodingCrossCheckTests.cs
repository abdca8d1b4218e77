using System.Text.Json;
using Market.Chain.Json;
using Market.Chain.Keystore;
using Market.Chain.Rlp;

namespace Market.Chain.Tests.CrossCheck;

public class EncodingCrossCheckTests
{
    [Fact]
    public void Decrypts_ethers_keystores()
    {
        foreach (var c in EthersVectors.Get("keystores").EnumerateArray())
        {
            var key = KeyStoreV3.Decrypt(c.GetProperty("json").GetString()!, c.GetProperty("password").GetString()!);
            Assert.Equal(c.GetProperty("privateKey").GetString(), key.PrivateKeyHex);
        }
    }

    [Fact]
    public void Canonical_json_matches_sorted_JSON_stringify()
    {
        foreach (var c in EthersVectors.Get("canonical").EnumerateArray())
            Assert.Equal(c.GetProperty("canonical").GetString(), CanonicalJson.Canonicalize(c.GetProperty("input").GetString()!));
    }

    [Fact]
    public void Rlp_matches_ethers_both_ways()
    {
        foreach (var c in EthersVectors.Get("rlp").EnumerateArray())
        {
            var item = ToItem(c.GetProperty("value"));
            var expected = c.GetProperty("encoded").GetString()!;
            Assert.Equal(expected, Hex.Encode(RlpEncoder.Encode(item)));
            Assert.Equal(expected, Hex.Encode(RlpEncoder.Encode(RlpDecoder.Decode(Hex.Decode(expected)))));
        }
    }

    private static RlpItem ToItem(JsonElement e) => e.ValueKind == JsonValueKind.Array
        ? RlpItem.List(e.EnumerateArray().Select(ToItem).ToList())
        : RlpItem.String(Hex.Decode(e.GetString()));
}

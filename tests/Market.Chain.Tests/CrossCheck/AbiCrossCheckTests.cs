using Market.Chain.Abi;

namespace Market.Chain.Tests.CrossCheck;

public class AbiCrossCheckTests
{
    [Fact]
    public void Encodes_and_decodes_random_dynamic_types_like_ethers()
    {
        int n = 0;
        foreach (var c in EthersVectors.Get("abi").EnumerateArray())
        {
            var types = c.GetProperty("types").EnumerateArray().Select(t => AbiType.Parse(t.GetString()!)).ToList();
            var values = c.GetProperty("values").EnumerateArray().Select(EthersVectors.ToValue).ToList();
            var expected = c.GetProperty("encoded").GetString()!;
            Assert.Equal(expected, Hex.Encode(AbiEncoder.Encode(types, values)));
            var decoded = AbiDecoder.Decode(types, Hex.Decode(expected));
            Assert.Equal(EthersVectors.Normalize(c.GetProperty("values")), EthersVectors.Normalize(decoded));
            n++;
        }
        Assert.Equal(100, n);
    }

    [Fact]
    public void Decodes_event_logs_like_ethers()
    {
        foreach (var c in EthersVectors.Get("events").EnumerateArray())
        {
            var ev = AbiEvent.Parse(c.GetProperty("signature").GetString()!);
            var topics = c.GetProperty("topics").EnumerateArray().Select(t => Hex.Decode(t.GetString(), 32)).ToList();
            Assert.Equal(Hex.Encode(ev.Topic0), Hex.Encode(topics[0]));
            var decoded = ev.Decode(topics, Hex.Decode(c.GetProperty("data").GetString()));
            Assert.Equal(EthersVectors.Normalize(c.GetProperty("values")), EthersVectors.Normalize(decoded.Values.ToList()));
        }
    }

    [Fact]
    public void Decodes_custom_errors_Error_and_Panic()
    {
        foreach (var c in EthersVectors.Get("errors").EnumerateArray())
        {
            var signature = c.GetProperty("signature").GetString()!;
            var data = Hex.Decode(c.GetProperty("data").GetString());
            AbiError? known = signature.StartsWith("error ") ? AbiError.Parse(signature) : null;
            var revert = RevertDecoder.Decode(data, known is null ? null : [known]);
            Assert.Equal(known?.Name ?? signature.Split('(')[0], revert.ErrorName);
            Assert.Equal(EthersVectors.Normalize(c.GetProperty("values")), EthersVectors.Normalize(revert.Arguments.ToList()));
        }
    }
}

using System.Numerics;
using System.Text.Json;
using Market.Chain.Crypto;
using Market.Chain.Transactions;

namespace Market.Chain.Tests.CrossCheck;

public class TransactionCrossCheckTests
{
    [Theory]
    [InlineData("legacy")]
    [InlineData("eip1559")]
    public void Signs_and_decodes_transactions_like_ethers(string kind)
    {
        int n = 0;
        foreach (var c in EthersVectors.Get(kind).EnumerateArray())
        {
            var key = new EthKey(c.GetProperty("privateKey").GetString()!);
            var tx = Build(c.GetProperty("tx"));
            Assert.Equal(c.GetProperty("unsignedHash").GetString(), Hex.Encode(tx.SigningHash()));
            var signed = tx.Sign(key);
            Assert.Equal(c.GetProperty("raw").GetString(), signed.RawHex);
            Assert.Equal(c.GetProperty("hash").GetString(), signed.HashHex);

            var decoded = TransactionDecoder.Decode(c.GetProperty("raw").GetString()!);
            Assert.Equal(Address.Parse(c.GetProperty("from").GetString()!), decoded.Sender);
            Assert.Equal(c.GetProperty("hash").GetString(), decoded.HashHex);
            Assert.Equal(tx.Nonce, decoded.Transaction.Nonce);
            Assert.Equal(tx.To, decoded.Transaction.To);
            Assert.Equal(tx.Value, decoded.Transaction.Value);
            Assert.Equal(tx.Data, decoded.Transaction.Data);
            Assert.Equal(signed.Raw, decoded.Transaction.Serialize(decoded.Signature));
            n++;
        }
        Assert.Equal(50, n);
    }

    internal static Transaction Build(JsonElement t)
    {
        BigInteger B(string name) => BigInteger.Parse(t.GetProperty(name).ValueKind == JsonValueKind.Number ? t.GetProperty(name).GetRawText() : t.GetProperty(name).GetString()!);
        Address? to = t.GetProperty("to").ValueKind == JsonValueKind.Null ? null : Address.Parse(t.GetProperty("to").GetString()!);
        var data = Hex.Decode(t.GetProperty("data").GetString());
        if (t.GetProperty("type").GetInt32() == 0)
            return new LegacyTransaction { ChainId = B("chainId"), Nonce = B("nonce"), GasPrice = B("gasPrice"), GasLimit = B("gasLimit"), To = to, Value = B("value"), Data = data };
        var accessList = t.GetProperty("accessList").EnumerateArray()
            .Select(a => new AccessListItem(Address.Parse(a.GetProperty("address").GetString()!), a.GetProperty("storageKeys").EnumerateArray().Select(k => Hex.Decode(k.GetString(), 32)).ToList()))
            .ToList();
        return new Eip1559Transaction
        {
            ChainId = B("chainId"), Nonce = B("nonce"), MaxPriorityFeePerGas = B("maxPriorityFeePerGas"), MaxFeePerGas = B("maxFeePerGas"),
            GasLimit = B("gasLimit"), To = to, Value = B("value"), Data = data, AccessList = accessList,
        };
    }
}

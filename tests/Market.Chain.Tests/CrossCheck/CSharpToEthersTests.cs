using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Market.Chain.Abi;
using Market.Chain.Bids;
using Market.Chain.Crypto;
using Market.Chain.Eip712;
using Market.Chain.Keystore;
using Market.Chain.Signing;
using Market.Chain.Transactions;
using Market.TestSupport;

namespace Market.Chain.Tests.CrossCheck;

/// <summary>The other direction: C# produces signatures, transactions, typed data, keystores, encodings; one `node vectors.js check` run verifies them all with ethers.</summary>
public class CSharpToEthersTests
{
    [Fact]
    public async Task Ethers_accepts_everything_csharp_produces()
    {
        var rng = new Random(EthersVectors.Seed);
        byte[] Bytes(int n) { var b = new byte[n]; rng.NextBytes(b); return b; }
        EthKey Key() { while (true) { try { return new EthKey(Bytes(32)); } catch (SignatureException) { } } }

        var signatures = new JsonArray();
        for (int i = 0; i < 200; i++)
        {
            var key = Key();
            var hash = Bytes(32);
            signatures.Add(new JsonObject { ["privateKey"] = key.PrivateKeyHex, ["hash"] = Hex.Encode(hash), ["signature"] = key.SignHash(hash).ToHex(), ["address"] = key.Address.ToString() });
        }
        var personal = new JsonArray();
        for (int i = 0; i < 20; i++)
        {
            var key = Key();
            var message = $"message {i} ✓ {rng.Next()}";
            personal.Add(new JsonObject { ["message"] = message, ["signature"] = PersonalMessage.Sign(message, key).ToHex(), ["address"] = key.Address.ToString() });
        }
        var transactions = new JsonArray();
        for (int i = 0; i < 100; i++)
        {
            var key = Key();
            Address? to = i % 10 == 0 ? null : new Address(Bytes(20));
            var value = new BigInteger(Bytes(9), isUnsigned: true);
            var data = Bytes(rng.Next(0, 80));
            Transaction tx = i % 2 == 0
                ? new LegacyTransaction { ChainId = 31337, Nonce = i, GasPrice = 1_000_000_000 + i, GasLimit = 21000 + i, To = to, Value = value, Data = data }
                : new Eip1559Transaction
                {
                    ChainId = 1, Nonce = i, MaxPriorityFeePerGas = i, MaxFeePerGas = 1000 + i, GasLimit = 50000, To = to, Value = value, Data = data,
                    AccessList = i % 4 == 1 ? [new AccessListItem(new Address(Bytes(20)), [Bytes(32), Bytes(32)])] : [],
                };
            var signed = tx.Sign(key);
            transactions.Add(new JsonObject
            {
                ["raw"] = signed.RawHex, ["hash"] = signed.HashHex, ["from"] = key.Address.ToString(), ["type"] = i % 2 == 0 ? 0 : 2,
                ["nonce"] = i, ["chainId"] = (i % 2 == 0 ? 31337 : 1).ToString(), ["value"] = value.ToString(),
                ["to"] = to?.ToString(), ["data"] = Hex.Encode(data),
            });
        }
        var typed = new JsonArray();
        foreach (var c in EthersVectors.Get("typed").EnumerateArray())
        {
            // Same messages, signed by different C# keys.
            var key = Key();
            var json = c.GetProperty("json").GetString()!;
            typed.Add(new JsonObject { ["json"] = json, ["signature"] = Eip712Signer.SignTypedData(json, key).ToHex(), ["address"] = key.Address.ToString(), ["hash"] = Hex.Encode(TypedDataJson.Parse(json).Hash()) });
        }
        var bids = new JsonArray();
        for (int i = 0; i < 20; i++)
        {
            var key = Key();
            var escrow = new Address(Bytes(20));
            var bid = new Bid
            {
                Consumer = key.Address, JobSpecHash = Bytes(32), ComputeType = (byte)(i % 3), Grade = (byte)(1 + i % 4), MilliNcu = (ulong)rng.NextInt64(),
                MaxPricePerNcuHour = new BigInteger(Bytes(16), isUnsigned: true), MaxDurationSec = (uint)rng.Next(), MinUptimeBps = (ushort)rng.Next(10001),
                ConstraintsHash = Bytes(32), Nonce = new BigInteger(Bytes(32), isUnsigned: true), Deadline = 1_800_000_000UL + (ulong)i,
            };
            var signer = new BidSigner(31337, escrow);
            var message = new JsonObject();
            var values = bid.ToAbiValues();
            for (int f = 0; f < BidSigner.Fields.Count; f++)
                message[BidSigner.Fields[f].Name] = values[f] switch { byte[] b => Hex.Encode(b), Address a => a.ToString(), var v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) };
            bids.Add(new JsonObject { ["chainId"] = 31337, ["escrow"] = escrow.ToString(), ["bid"] = message, ["signature"] = signer.Sign(bid, key).ToHex() });
        }
        var keystores = new JsonArray();
        for (int i = 0; i < 4; i++)
        {
            var key = Key();
            KdfParameters kdf = i % 2 == 0 ? new ScryptParameters { N = 1024 } : new Pbkdf2Parameters { Iterations = 1000 };
            var password = i == 3 ? "pässwörd" : $"pw{i}";
            keystores.Add(new JsonObject { ["json"] = KeyStoreV3.Encrypt(key, password, kdf), ["password"] = password, ["privateKey"] = key.PrivateKeyHex });
        }
        var abi = new JsonArray();
        foreach (var c in EthersVectors.Get("abi").EnumerateArray())
        {
            var types = c.GetProperty("types").EnumerateArray().Select(t => AbiType.Parse(t.GetString()!)).ToList();
            var values = c.GetProperty("values").EnumerateArray().Select(EthersVectors.ToValue).ToList();
            abi.Add(new JsonObject { ["types"] = JsonNode.Parse(c.GetProperty("types").GetRawText()), ["encoded"] = Hex.Encode(AbiEncoder.Encode(types, values)) });
        }

        var input = new JsonObject
        {
            ["signatures"] = signatures, ["personal"] = personal, ["transactions"] = transactions, ["typed"] = typed,
            ["bids"] = bids, ["keystores"] = keystores, ["abi"] = abi,
        };
        var output = await NodeScript.RunAsync(EthersVectors.Script, ["check"], input.ToJsonString());
        using var doc = JsonDocument.Parse(output);
        var failures = doc.RootElement.GetProperty("failures").EnumerateArray().Select(f => f.GetString()).ToList();
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
        var checkedCounts = doc.RootElement.GetProperty("checked");
        Assert.Equal(200, checkedCounts.GetProperty("signatures").GetInt32());
        Assert.Equal(100, checkedCounts.GetProperty("transactions").GetInt32());
        Assert.Equal(50, checkedCounts.GetProperty("typed").GetInt32());
        Assert.Equal(4, checkedCounts.GetProperty("keystores").GetInt32());
    }
}

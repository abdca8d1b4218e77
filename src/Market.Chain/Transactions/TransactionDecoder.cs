using System.Numerics;
using Market.Chain.Crypto;
using Market.Chain.Rlp;

namespace Market.Chain.Transactions;

/// <summary>Decodes raw signed transactions (legacy with or without EIP-155, and type 2).</summary>
public static class TransactionDecoder
{
    public static SignedTransaction Decode(string rawHex) => Decode(Hex.Decode(rawHex));

    public static SignedTransaction Decode(byte[] raw)
    {
        if (raw.Length == 0) throw new TransactionException("empty transaction");
        if (raw[0] >= 0xc0) return DecodeLegacy(raw);
        if (raw[0] == Eip1559Transaction.Type) return Decode1559(raw);
        throw new TransactionException($"unsupported transaction type 0x{raw[0]:x2}");
    }

    private static SignedTransaction DecodeLegacy(byte[] raw)
    {
        var f = Fields(RlpDecoder.Decode(raw), 9);
        var v = f[6].AsBigInteger();
        BigInteger? chainId;
        int parity;
        if (v == 27 || v == 28) { chainId = null; parity = (int)(v - 27); }
        else if (v >= 35) { chainId = (v - 35) / 2; parity = (int)((v - 35) % 2); }
        else throw new TransactionException($"legacy v out of range: {v}");
        var tx = new LegacyTransaction
        {
            Nonce = f[0].AsBigInteger(8), GasPrice = f[1].AsBigInteger(), GasLimit = f[2].AsBigInteger(8),
            To = DecodeTo(f[3]), Value = f[4].AsBigInteger(), Data = f[5].Bytes, ChainId = chainId,
        };
        return Finish(tx, f[7], f[8], parity, raw);
    }

    private static SignedTransaction Decode1559(byte[] raw)
    {
        var f = Fields(RlpDecoder.Decode(raw.AsSpan(1)), 12);
        var parity = f[9].AsBigInteger();
        if (parity > 1) throw new TransactionException($"yParity must be 0 or 1, got {parity}");
        var tx = new Eip1559Transaction
        {
            ChainId = f[0].AsBigInteger(), Nonce = f[1].AsBigInteger(8), MaxPriorityFeePerGas = f[2].AsBigInteger(),
            MaxFeePerGas = f[3].AsBigInteger(), GasLimit = f[4].AsBigInteger(8), To = DecodeTo(f[5]),
            Value = f[6].AsBigInteger(), Data = f[7].Bytes, AccessList = DecodeAccessList(f[8]),
        };
        return Finish(tx, f[10], f[11], (int)parity, raw);
    }

    private static IReadOnlyList<RlpItem> Fields(RlpItem item, int count)
    {
        if (!item.IsList) throw new TransactionException("a transaction is an RLP list");
        if (item.Items.Count != count) throw new TransactionException($"expected {count} transaction fields, got {item.Items.Count}");
        return item.Items;
    }

    private static Address? DecodeTo(RlpItem item)
    {
        var b = item.Bytes;
        if (b.Length == 0) return null;
        if (b.Length != 20) throw new TransactionException($"'to' has 20 bytes, got {b.Length}");
        return new Address(b);
    }

    private static IReadOnlyList<AccessListItem> DecodeAccessList(RlpItem item)
    {
        var result = new List<AccessListItem>();
        foreach (var entry in item.Items)
        {
            if (entry.Items.Count != 2) throw new TransactionException("an access-list entry has 2 fields");
            var address = entry.Items[0].Bytes;
            if (address.Length != 20) throw new TransactionException("an access-list address has 20 bytes");
            var keys = entry.Items[1].Items.Select(k => k.Bytes.Length == 32 ? k.Bytes : throw new TransactionException("a storage key has 32 bytes")).ToList();
            result.Add(new AccessListItem(new Address(address), keys));
        }
        return result;
    }

    private static SignedTransaction Finish(Transaction tx, RlpItem r, RlpItem s, int parity, byte[] raw)
    {
        var signature = new EthSignature(BigEndian.ToPadded(r.AsBigInteger()), BigEndian.ToPadded(s.AsBigInteger()), parity);
        signature.EnsureCanonical();
        return new SignedTransaction(tx, signature, raw);
    }
}

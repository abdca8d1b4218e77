using System.Numerics;
using Market.Chain.Crypto;
using Market.Chain.Rlp;

namespace Market.Chain.Transactions;

/// <summary>An EIP-1559 (type 2) transaction: 0x02 ‖ rlp([chainId, nonce, tip, maxFee, gas, to, value, data, accessList, yParity, r, s]).</summary>
public sealed record Eip1559Transaction : Transaction
{
    public const byte Type = 2;

    public BigInteger ChainId { get; init; }
    public BigInteger MaxPriorityFeePerGas { get; init; }
    public BigInteger MaxFeePerGas { get; init; }
    public IReadOnlyList<AccessListItem> AccessList { get; init; } = [];

    public override byte[] SigningHash() => Keccak256.Hash(Prefixed(RlpEncoder.EncodeList(Fields())));

    public override byte[] Serialize(EthSignature signature)
    {
        var fields = Fields();
        fields.Add(RlpEncoder.EncodeInteger(signature.YParity));
        fields.Add(RlpEncoder.EncodeInteger(BigEndian.ToBigInteger(signature.R)));
        fields.Add(RlpEncoder.EncodeInteger(BigEndian.ToBigInteger(signature.S)));
        return Prefixed(RlpEncoder.EncodeList(fields));
    }

    private static byte[] Prefixed(byte[] rlp)
    {
        var result = new byte[rlp.Length + 1];
        result[0] = Type;
        rlp.CopyTo(result, 1);
        return result;
    }

    private List<byte[]> Fields()
    {
        CheckCommon();
        CheckNonNegative(ChainId, nameof(ChainId));
        CheckNonNegative(MaxPriorityFeePerGas, nameof(MaxPriorityFeePerGas));
        CheckNonNegative(MaxFeePerGas, nameof(MaxFeePerGas));
        return
        [
            RlpEncoder.EncodeInteger(ChainId), RlpEncoder.EncodeInteger(Nonce),
            RlpEncoder.EncodeInteger(MaxPriorityFeePerGas), RlpEncoder.EncodeInteger(MaxFeePerGas),
            RlpEncoder.EncodeInteger(GasLimit), EncodeTo(To), RlpEncoder.EncodeInteger(Value),
            RlpEncoder.EncodeBytes(Data), EncodeAccessList(AccessList),
        ];
    }

    internal static byte[] EncodeAccessList(IReadOnlyList<AccessListItem> list)
    {
        var items = new byte[list.Count][];
        for (int i = 0; i < items.Length; i++)
        {
            var keys = new byte[list[i].StorageKeys.Count][];
            for (int k = 0; k < keys.Length; k++)
            {
                if (list[i].StorageKeys[k].Length != 32) throw new TransactionException("an access-list storage key has 32 bytes");
                keys[k] = RlpEncoder.EncodeBytes(list[i].StorageKeys[k]);
            }
            items[i] = RlpEncoder.EncodeList(RlpEncoder.EncodeBytes(list[i].Address.Bytes), RlpEncoder.EncodeList(keys));
        }
        return RlpEncoder.EncodeList(items);
    }
}

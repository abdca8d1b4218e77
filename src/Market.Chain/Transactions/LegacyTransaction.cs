using System.Numerics;
using Market.Chain.Crypto;
using Market.Chain.Rlp;

namespace Market.Chain.Transactions;

/// <summary>A legacy (type 0) transaction with EIP-155 replay protection when <see cref="ChainId"/> is set.</summary>
public sealed record LegacyTransaction : Transaction
{
    public BigInteger GasPrice { get; init; }
    /// <summary>Null only for pre-EIP-155 transactions (decoded, never produced by us for signing).</summary>
    public BigInteger? ChainId { get; init; }

    public override byte[] SigningHash()
    {
        var fields = Fields();
        if (ChainId is { } id)
        {
            fields.Add(RlpEncoder.EncodeInteger(id));
            fields.Add(RlpEncoder.EncodeInteger(0));
            fields.Add(RlpEncoder.EncodeInteger(0));
        }
        return Keccak256.Hash(RlpEncoder.EncodeList(fields));
    }

    public override byte[] Serialize(EthSignature signature)
    {
        var fields = Fields();
        BigInteger v = ChainId is { } id ? id * 2 + 35 + signature.YParity : 27 + signature.YParity;
        fields.Add(RlpEncoder.EncodeInteger(v));
        fields.Add(RlpEncoder.EncodeInteger(BigEndian.ToBigInteger(signature.R)));
        fields.Add(RlpEncoder.EncodeInteger(BigEndian.ToBigInteger(signature.S)));
        return RlpEncoder.EncodeList(fields);
    }

    private List<byte[]> Fields()
    {
        CheckCommon();
        CheckNonNegative(GasPrice, nameof(GasPrice));
        return
        [
            RlpEncoder.EncodeInteger(Nonce), RlpEncoder.EncodeInteger(GasPrice), RlpEncoder.EncodeInteger(GasLimit),
            EncodeTo(To), RlpEncoder.EncodeInteger(Value), RlpEncoder.EncodeBytes(Data),
        ];
    }
}

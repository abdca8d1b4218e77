using System.Numerics;
using Market.Chain.Crypto;

namespace Market.Chain.Transactions;

/// <summary>Fields every transaction type shares. Sign with <see cref="Sign"/>; decode raw bytes with <see cref="TransactionDecoder"/>.</summary>
public abstract record Transaction
{
    public BigInteger Nonce { get; init; }
    public BigInteger GasLimit { get; init; }
    /// <summary>Null for a contract creation.</summary>
    public Address? To { get; init; }
    public BigInteger Value { get; init; }
    public byte[] Data { get; init; } = [];

    /// <summary>The hash the sender signs.</summary>
    public abstract byte[] SigningHash();

    /// <summary>The signed, serialized form for eth_sendRawTransaction.</summary>
    public abstract byte[] Serialize(EthSignature signature);

    public SignedTransaction Sign(EthKey key)
    {
        var signature = key.SignHash(SigningHash());
        return new SignedTransaction(this, signature, Serialize(signature));
    }

    internal static byte[] EncodeTo(Address? to) => Rlp.RlpEncoder.EncodeBytes(to is { } a ? a.Bytes : []);

    internal static void CheckNonNegative(BigInteger v, string name, int maxBytes = 32)
    {
        if (v.Sign < 0) throw new TransactionException($"{name} is negative");
        if (v.GetByteCount(isUnsigned: true) > maxBytes) throw new TransactionException($"{name} does not fit {maxBytes * 8} bits");
    }

    protected void CheckCommon()
    {
        CheckNonNegative(Nonce, nameof(Nonce), 8);
        CheckNonNegative(GasLimit, nameof(GasLimit), 8);
        CheckNonNegative(Value, nameof(Value));
    }
}

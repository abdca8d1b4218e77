using Market.Chain.Crypto;

namespace Market.Chain.Transactions;

/// <summary>A transaction with its signature and raw bytes; the hash is Keccak-256 of the raw bytes.</summary>
public sealed class SignedTransaction
{
    public SignedTransaction(Transaction transaction, EthSignature signature, byte[] raw)
    {
        Transaction = transaction;
        Signature = signature;
        Raw = raw;
    }

    public Transaction Transaction { get; }
    public EthSignature Signature { get; }
    public byte[] Raw { get; }
    public string RawHex => Hex.Encode(Raw);
    public byte[] Hash => Keccak256.Hash(Raw);
    public string HashHex => Hex.Encode(Hash);

    /// <summary>The sender recovered from the signature.</summary>
    public Address Sender => Secp256k1.Recover(Transaction.SigningHash(), Signature);
}

using System.Security.Cryptography;

namespace Market.Chain.Crypto;

/// <summary>A secp256k1 private key with its public key and address (computed once).</summary>
public sealed class EthKey
{
    private readonly byte[] _privateKey;
    private readonly Lazy<byte[]> _publicKey;
    private readonly Lazy<Address> _address;

    public EthKey(ReadOnlySpan<byte> privateKey32)
    {
        Secp256k1.PrivateScalar(privateKey32);
        _privateKey = privateKey32.ToArray();
        _publicKey = new Lazy<byte[]>(() => Secp256k1.PublicKeyOf(_privateKey));
        _address = new Lazy<Address>(() => Address.FromPublicKey(_publicKey.Value));
    }

    public EthKey(string privateKeyHex) : this(Hex.Decode(privateKeyHex, 32)) { }

    public static EthKey Generate()
    {
        Span<byte> buffer = stackalloc byte[32];
        while (true)
        {
            RandomNumberGenerator.Fill(buffer);
            try { return new EthKey(buffer); }
            catch (SignatureException) { /* astronomically rare: zero or ≥ n; draw again */ }
        }
    }

    public byte[] PrivateKey => (byte[])_privateKey.Clone();
    public string PrivateKeyHex => Hex.Encode(_privateKey);
    /// <summary>64-byte uncompressed public key, without the 0x04 prefix.</summary>
    public byte[] PublicKey => (byte[])_publicKey.Value.Clone();
    public Address Address => _address.Value;

    /// <summary>Signs a 32-byte hash (RFC 6979, low-s).</summary>
    public EthSignature SignHash(ReadOnlySpan<byte> hash32) => Secp256k1.Sign(hash32, _privateKey);

    public override string ToString() => Address.ToString();
}

using System.Buffers.Binary;
using System.Numerics;
using Market.Chain.Abi;
using Market.Chain.Crypto;
using Market.Chain.Eip712;

namespace Market.Chain.Bids;

/// <summary>
/// EIP-712 hashing, signing and verification of <see cref="Bid"/> under domain
/// { name "ComputeMarket", version "1", chainId, verifyingContract = LeaseEscrow }. The struct hash is
/// computed directly (eleven static words), with no generic typed-data machinery on the hot path.
/// </summary>
public sealed class BidSigner
{
    public const string TypeString =
        "Bid(address consumer,bytes32 jobSpecHash,uint8 computeType,uint8 grade,uint64 milliNcu,uint256 maxPricePerNcuHour,uint32 maxDurationSec,uint16 minUptimeBps,bytes32 constraintsHash,uint256 nonce,uint64 deadline)";

    public static readonly byte[] TypeHash = Keccak256.Hash(TypeString);

    /// <summary>The Bid type in the shape <see cref="TypedData"/> uses.</summary>
    public static IReadOnlyList<TypedDataField> Fields { get; } =
    [
        new("consumer", "address"), new("jobSpecHash", "bytes32"), new("computeType", "uint8"), new("grade", "uint8"),
        new("milliNcu", "uint64"), new("maxPricePerNcuHour", "uint256"), new("maxDurationSec", "uint32"),
        new("minUptimeBps", "uint16"), new("constraintsHash", "bytes32"), new("nonce", "uint256"), new("deadline", "uint64"),
    ];

    private readonly byte[] _domainSeparator;

    public BidSigner(BigInteger chainId, Address leaseEscrow)
    {
        Domain = new Eip712Domain { Name = "ComputeMarket", Version = "1", ChainId = chainId, VerifyingContract = leaseEscrow };
        _domainSeparator = Domain.Separator();
    }

    public Eip712Domain Domain { get; }

    public static byte[] StructHash(Bid bid)
    {
        if (bid.JobSpecHash is not { Length: 32 } || bid.ConstraintsHash is not { Length: 32 })
            throw new TypedDataException("jobSpecHash and constraintsHash have 32 bytes");
        Span<byte> words = stackalloc byte[32 * 12];
        if (TryEncodeDirect(bid, words)) return Keccak256.Hash(words);
        var buffer = new byte[32 * 12];
        TypeHash.CopyTo(buffer, 0);
        var values = bid.ToAbiValues();
        var types = new[] { AbiType.Address, AbiType.FixedBytes(32), AbiType.UInt(8), AbiType.UInt(8), AbiType.UInt(64), AbiType.UInt(256), AbiType.UInt(32), AbiType.UInt(16), AbiType.FixedBytes(32), AbiType.UInt(256), AbiType.UInt(64) };
        AbiEncoder.Encode(types, values).CopyTo(buffer, 32);
        return Keccak256.Hash(buffer);
    }

    /// <summary>
    /// typeHash and the eleven static words written straight into <paramref name="words"/> (the
    /// hot path of every submitted job: no boxing, no ABI machinery). False when a uint256 is out
    /// of range, so the general encoder reports it.
    /// </summary>
    private static bool TryEncodeDirect(Bid bid, Span<byte> words)
    {
        var price = bid.MaxPricePerNcuHour;
        var nonce = bid.Nonce;
        if (price.Sign < 0 || nonce.Sign < 0 || price.GetByteCount(isUnsigned: true) > 32 || nonce.GetByteCount(isUnsigned: true) > 32) return false;
        words.Clear();
        TypeHash.CopyTo(words);
        bid.Consumer.Bytes.CopyTo(words[(32 + 12)..]);
        bid.JobSpecHash.CopyTo(words[64..]);
        words[96 + 31] = bid.ComputeType;
        words[128 + 31] = bid.Grade;
        BinaryPrimitives.WriteUInt64BigEndian(words[(160 + 24)..], bid.MilliNcu);
        WriteUInt256(price, words.Slice(192, 32));
        BinaryPrimitives.WriteUInt32BigEndian(words[(224 + 28)..], bid.MaxDurationSec);
        BinaryPrimitives.WriteUInt16BigEndian(words[(256 + 30)..], bid.MinUptimeBps);
        bid.ConstraintsHash.CopyTo(words[288..]);
        WriteUInt256(nonce, words.Slice(320, 32));
        BinaryPrimitives.WriteUInt64BigEndian(words[(352 + 24)..], bid.Deadline);
        return true;
    }

    private static void WriteUInt256(BigInteger v, Span<byte> word32)
    {
        var n = v.GetByteCount(isUnsigned: true);
        v.TryWriteBytes(word32[(32 - n)..], out _, isUnsigned: true, isBigEndian: true);
    }

    /// <summary>The EIP-712 digest the consumer signs and LeaseEscrow recovers.</summary>
    public byte[] Hash(Bid bid) => Eip712Encoder.HashWithSeparator(_domainSeparator, StructHash(bid));

    public EthSignature Sign(Bid bid, EthKey consumerKey) => consumerKey.SignHash(Hash(bid));

    public Address Recover(Bid bid, EthSignature signature) => Secp256k1.Recover(Hash(bid), signature);

    /// <summary>True when the 65-byte signature is canonical and recovers to <see cref="Bid.Consumer"/>.</summary>
    public bool Verify(Bid bid, byte[] signature65)
    {
        try { return Recover(bid, EthSignature.FromBytes(signature65)) == bid.Consumer; }
        catch (SignatureException) { return false; }
    }

    /// <summary>The same message as generic typed data (for wallets: eth_signTypedData_v4).</summary>
    public TypedData ToTypedData(Bid bid)
    {
        var v = bid.ToAbiValues();
        var message = new Dictionary<string, object?>();
        for (int i = 0; i < Fields.Count; i++) message[Fields[i].Name] = v[i];
        return new TypedData(Domain, new Dictionary<string, IReadOnlyList<TypedDataField>> { ["Bid"] = Fields }, "Bid", message);
    }
}

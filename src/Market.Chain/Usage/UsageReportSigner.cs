using System.Numerics;
using Market.Chain.Abi;
using Market.Chain.Crypto;
using Market.Chain.Eip712;

namespace Market.Chain.Usage;

/// <summary>
/// Metered usage of a lease over [FromTime, ToTime), in mNCU·s, as the provider's agent signs it.
/// Sequence numbers start at 1 and increase by one per lease.
/// </summary>
public sealed record UsageReport(ulong LeaseId, ulong Seq, ulong FromTime, ulong ToTime, ulong MilliNcuSeconds);

/// <summary>
/// EIP-712 signing of <see cref="UsageReport"/> in the market's domain (name "ComputeMarket",
/// version "1", chainId, verifyingContract = LeaseEscrow) as
/// <c>UsageReport(uint256 leaseId,uint64 seq,uint64 fromTime,uint64 toTime,uint256 milliNcuSeconds)</c>.
/// Typed data rather than a plain message so a wallet shows what is signed, and so a contract could
/// verify reports if disputes ever move on chain.
/// </summary>
public sealed class UsageReportSigner
{
    public const string TypeString = "UsageReport(uint256 leaseId,uint64 seq,uint64 fromTime,uint64 toTime,uint256 milliNcuSeconds)";
    public static readonly byte[] TypeHash = Keccak256.Hash(TypeString);

    private static readonly AbiType[] Types = [AbiType.UInt(256), AbiType.UInt(64), AbiType.UInt(64), AbiType.UInt(64), AbiType.UInt(256)];
    private readonly byte[] _domainSeparator;

    public UsageReportSigner(BigInteger chainId, Address leaseEscrow) =>
        _domainSeparator = new Eip712Domain { Name = "ComputeMarket", Version = "1", ChainId = chainId, VerifyingContract = leaseEscrow }.Separator();

    public static byte[] StructHash(UsageReport r)
    {
        var buffer = new byte[32 * 6];
        TypeHash.CopyTo(buffer, 0);
        AbiEncoder.Encode(Types, [new BigInteger(r.LeaseId), r.Seq, r.FromTime, r.ToTime, new BigInteger(r.MilliNcuSeconds)]).CopyTo(buffer, 32);
        return Keccak256.Hash(buffer);
    }

    public byte[] Hash(UsageReport r) => Eip712Encoder.HashWithSeparator(_domainSeparator, StructHash(r));

    public EthSignature Sign(UsageReport r, EthKey providerKey) => providerKey.SignHash(Hash(r));

    /// <summary>The signer of a 65-byte signature, or null when it is malformed or not canonical.</summary>
    public Address? Recover(UsageReport r, byte[] signature65)
    {
        try { return Secp256k1.Recover(Hash(r), EthSignature.FromBytes(signature65)); }
        catch (ChainException) { return null; }
    }
}

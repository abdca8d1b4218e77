using System.Numerics;
using Market.Chain.Abi;

namespace Market.Chain.Bids;

/// <summary>
/// A consumer's signed order, exactly the EIP-712 struct LeaseEscrow verifies:
/// Bid(address consumer,bytes32 jobSpecHash,uint8 computeType,uint8 grade,uint64 milliNcu,
/// uint256 maxPricePerNcuHour,uint32 maxDurationSec,uint16 minUptimeBps,bytes32 constraintsHash,
/// uint256 nonce,uint64 deadline). Implements <see cref="IAbiTuple"/> so it can be passed where the
/// contract expects the Bid tuple.
/// </summary>
public sealed record Bid : IAbiTuple
{
    public required Address Consumer { get; init; }
    /// <summary>Keccak-256 of the job spec's canonical JSON (<see cref="JobSpecHash"/>).</summary>
    public required byte[] JobSpecHash { get; init; }
    public byte ComputeType { get; init; }
    public byte Grade { get; init; }
    public ulong MilliNcu { get; init; }
    /// <summary>Token base units per NCU-hour.</summary>
    public BigInteger MaxPricePerNcuHour { get; init; }
    public uint MaxDurationSec { get; init; }
    public ushort MinUptimeBps { get; init; }
    public byte[] ConstraintsHash { get; init; } = new byte[32];
    public BigInteger Nonce { get; init; }
    /// <summary>Unix seconds after which the bid cannot open a lease.</summary>
    public ulong Deadline { get; init; }

    public object?[] ToAbiValues() =>
    [
        Consumer, JobSpecHash, ComputeType, Grade, MilliNcu, MaxPricePerNcuHour, MaxDurationSec,
        MinUptimeBps, ConstraintsHash, Nonce, Deadline,
    ];

    /// <summary>Builds a Bid from decoded ABI tuple values (as returned by <see cref="AbiDecoder"/>).</summary>
    public static Bid FromAbiValues(IReadOnlyList<object?> v)
    {
        if (v.Count != 11) throw new AbiDecodingException($"a Bid tuple has 11 values, got {v.Count}");
        return new Bid
        {
            Consumer = (Address)v[0]!, JobSpecHash = (byte[])v[1]!, ComputeType = (byte)(BigInteger)v[2]!, Grade = (byte)(BigInteger)v[3]!,
            MilliNcu = (ulong)(BigInteger)v[4]!, MaxPricePerNcuHour = (BigInteger)v[5]!, MaxDurationSec = (uint)(BigInteger)v[6]!,
            MinUptimeBps = (ushort)(BigInteger)v[7]!, ConstraintsHash = (byte[])v[8]!, Nonce = (BigInteger)v[9]!, Deadline = (ulong)(BigInteger)v[10]!,
        };
    }
}

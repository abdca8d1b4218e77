using System.Globalization;
using System.Numerics;
using Market.Chain;
using Market.Chain.Bids;

namespace Market.Api.Application.Jobs;

/// <summary>
/// The EIP-712 Bid as JSON. uint256 values travel as decimal strings (JSON numbers lose
/// precision above 2^53 in browsers); bytes32 values as 0x-hex.
/// </summary>
public sealed record BidDto(
    string Consumer,
    string JobSpecHash,
    int ComputeType,
    int Grade,
    long MilliNcu,
    string MaxPricePerNcuHour,
    long MaxDurationSec,
    int MinUptimeBps,
    string ConstraintsHash,
    string Nonce,
    long Deadline)
{
    /// <summary>
    /// Highest price the market accepts: the engine keeps prices as 64-bit integers (the contract
    /// would take up to 2^96 − 1; 2^63 − 1 base units per NCU-hour is still 9.2 × 10^12 tokens).
    /// </summary>
    public static readonly BigInteger MaxPrice = long.MaxValue;

    public static bool IsUInt(string? s, BigInteger max) =>
        s is { Length: > 0 and <= 78 } && s.All(char.IsAsciiDigit) && (s.Length == 1 || s[0] != '0')
        && BigInteger.Parse(s, CultureInfo.InvariantCulture) <= max;

    public static bool IsBytes32(string? s) => s is { Length: 66 } && s.StartsWith("0x", StringComparison.Ordinal) && s.AsSpan(2).ContainsAnyExcept("0123456789abcdefABCDEF") == false;

    public Bid ToBid() => new()
    {
        Consumer = Address.Parse(Consumer),
        JobSpecHash = Hex.Decode(JobSpecHash),
        ComputeType = (byte)ComputeType,
        Grade = (byte)Grade,
        MilliNcu = (ulong)MilliNcu,
        MaxPricePerNcuHour = BigInteger.Parse(MaxPricePerNcuHour, CultureInfo.InvariantCulture),
        MaxDurationSec = (uint)MaxDurationSec,
        MinUptimeBps = (ushort)MinUptimeBps,
        ConstraintsHash = Hex.Decode(ConstraintsHash),
        Nonce = BigInteger.Parse(Nonce, CultureInfo.InvariantCulture),
        Deadline = (ulong)Deadline,
    };
}

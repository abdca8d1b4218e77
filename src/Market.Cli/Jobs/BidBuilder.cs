using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Market.Chain;
using Market.Chain.Bids;
using Market.Chain.Crypto;
using Market.Chain.Json;
using Market.Cli.Cli;
using Market.Matching.Model;

namespace Market.Cli.Jobs;

/// <summary>
/// The EIP-712 Bid for a job spec, by the rules the API checks (docs/api.md "Signed jobs"):
/// jobSpecHash and constraintsHash are Keccak-256 of canonical JSON; milliNcu is the spec's, or
/// ceil(2 × gflop / deadlineSec) for work + deadline; grade from the mNCU; duration and uptime from the spec.
/// </summary>
internal static class BidBuilder
{
    public static Bid Build(JsonObject spec, Address consumer, BigInteger maxPricePerNcuHour, ulong deadline, BigInteger nonce)
    {
        var milliNcu = NeededMilliNcu(spec);
        var minUptime = spec["constraints"] is JsonObject c && c["minUptimeBps"] is { } u ? Int(u, "constraints.minUptimeBps", 0, 10_000) : 0;
        return new Bid
        {
            Consumer = consumer,
            JobSpecHash = JobSpecHash.Compute(spec.ToJsonString()),
            ComputeType = (byte)(spec["computeType"] is { } t ? Int(t, "computeType", 0, 2) : 0),
            Grade = Grades.GradeOf(milliNcu),
            MilliNcu = milliNcu,
            MaxPricePerNcuHour = maxPricePerNcuHour,
            MaxDurationSec = (uint)Int(spec["maxDurationSec"] ?? throw CliException.Usage("spec: maxDurationSec is required"), "maxDurationSec", 1, uint.MaxValue),
            MinUptimeBps = (ushort)minUptime,
            ConstraintsHash = spec["constraints"] is { } constraints
                ? Keccak256.Hash(System.Text.Encoding.UTF8.GetBytes(CanonicalJson.Canonicalize(constraints.ToJsonString())))
                : new byte[32],
            Nonce = nonce,
            Deadline = deadline,
        };
    }

    public static ulong NeededMilliNcu(JsonObject spec)
    {
        var hasM = spec["milliNcu"] is not null;
        var hasW = spec["work"] is not null;
        if (hasM == hasW) throw CliException.Usage("spec: give exactly one of milliNcu or work {gflop, deadlineSec}");
        if (hasM) return (ulong)Int(spec["milliNcu"]!, "milliNcu", 1, long.MaxValue / 4);
        if (spec["work"] is not JsonObject w) throw CliException.Usage("spec: work must be {gflop, deadlineSec}");
        var gflop = Int(w["gflop"] ?? throw CliException.Usage("spec: work.gflop is required"), "work.gflop", 1, 1_000_000_000_000_000_000);
        var deadlineSec = Int(w["deadlineSec"] ?? throw CliException.Usage("spec: work.deadlineSec is required"), "work.deadlineSec", 1, 30 * 24 * 3600);
        return (ulong)((new BigInteger(gflop) * 2 + deadlineSec - 1) / deadlineSec);
    }

    /// <summary>Bid fields as the API's JSON wants them (uint256 as decimal strings, bytes32 as 0x-hex).</summary>
    public static JsonObject ToJson(Bid b) => new()
    {
        ["consumer"] = b.Consumer.ToString(),
        ["jobSpecHash"] = Hex.Encode(b.JobSpecHash),
        ["computeType"] = b.ComputeType,
        ["grade"] = b.Grade,
        ["milliNcu"] = b.MilliNcu,
        ["maxPricePerNcuHour"] = b.MaxPricePerNcuHour.ToString(),
        ["maxDurationSec"] = b.MaxDurationSec,
        ["minUptimeBps"] = b.MinUptimeBps,
        ["constraintsHash"] = Hex.Encode(b.ConstraintsHash),
        ["nonce"] = b.Nonce.ToString(),
        ["deadline"] = b.Deadline,
    };

    private static long Int(JsonNode node, string field, long min, long max)
    {
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<long>(out var n) && n >= min && n <= max) return n;
        throw CliException.Usage($"spec: {field} must be an integer from {min} to {max}");
    }
}

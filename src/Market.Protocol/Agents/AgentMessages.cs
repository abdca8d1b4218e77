namespace Market.Protocol.Agents;

/// <summary>
/// A lease handed to a provider's agent by the dispatcher. The agent must check on chain that
/// the lease exists for it and that <see cref="SpecJson"/> hashes to the lease's jobSpecHash
/// before running anything.
/// </summary>
public sealed record LeaseAssignment(
    long LeaseId,
    long JobId,
    string Consumer,
    long OfferId,
    string JobSpecHash,
    string SpecJson,
    long MilliNcu,
    string PricePerNcuHour,
    int MaxDurationSec,
    long StartSec);

/// <summary>Lifecycle reports an agent sends about a lease.</summary>
public enum LeaseStatus { Accepted, Refused, Starting, Running, Exited, Failed, Cancelled, TimedOut }

public sealed record LeaseStatusReport(long LeaseId, LeaseStatus Status, int? ExitCode, string? Detail);

/// <summary>A chunk of a container's output.</summary>
public sealed record LogChunk(long LeaseId, long Seq, string Stream, string Data);

/// <summary>
/// Metered usage over [FromSec, ToSec) signed by the provider key as EIP-712 typed data
/// <c>UsageReport(uint256 leaseId,uint64 seq,uint64 fromTime,uint64 toTime,uint256 milliNcuSeconds)</c>
/// in the market's domain, so billing (and, if ever needed, a contract) can verify it.
/// Sequence numbers start at 1 and increase by one.
/// </summary>
public sealed record UsageReport(long LeaseId, long Seq, long FromSec, long ToSec, long MilliNcuSeconds, string Signature);

public sealed record Heartbeat(string AgentVersion, long FreeMilliNcu, IReadOnlyList<long> RunningLeases);

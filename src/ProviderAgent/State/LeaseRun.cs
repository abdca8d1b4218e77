namespace ProviderAgent.State;

/// <summary>Where a lease is in the daemon's hands. Done and Refused are final; the others a restart resumes.</summary>
public static class LeasePhase
{
    public const string Received = "Received", Refused = "Refused", Running = "Running", Ended = "Ended", Done = "Done";

    public static bool IsFinal(string phase) => phase is Done or Refused;
}

/// <summary>
/// One lease as the daemon serves it (the <c>leases</c> table). Times in <c>*Ms</c> are the agent's
/// wall clock in Unix milliseconds; <see cref="AnchorMs"/> is when the lease was first seen, which
/// the meter maps onto the lease's chain start (see <c>Metering/LeaseClock</c>).
/// </summary>
public sealed record LeaseRun(
    string LeaseId,
    string Phase,
    string? ContainerId,
    string? JobSpecHash,
    string AssignmentJson,
    long AnchorMs,
    long? RunStartMs,
    long? RunEndMs,
    long StdoutOffset,
    long StderrOffset,
    long LogSeq,
    long LogBytes,
    long UsageSeq,
    long? UsageToSec,
    long? MilliNcu,
    bool CancelRequested,
    string? FinalStatus,
    int? ExitCode,
    string? Detail);

/// <summary>A report waiting to reach the market: kind status|log|usage|result, body as sent (JSON or raw bytes).</summary>
public sealed record OutboxItem(long Id, string LeaseId, string Kind, byte[] Body)
{
    public static OutboxItem New(string leaseId, string kind, byte[] body) => new(0, leaseId, kind, body);
}

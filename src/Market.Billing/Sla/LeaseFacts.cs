using System.Numerics;
using Market.Chain;

namespace Market.Billing.Sla;

/// <summary>How a lease's job ended, as far as the agent told us.</summary>
public enum LeaseOutcome
{
    /// <summary>No terminal report (still running, or the agent went silent).</summary>
    None,
    /// <summary>The container exited with code 0.</summary>
    Completed,
    /// <summary>The container exited with a non-zero code: the job's own failure.</summary>
    NonZeroExit,
    /// <summary>The job could not start because of its spec (image missing or invalid).</summary>
    BadImage,
    /// <summary>The runtime failed for a reason of the provider's machine.</summary>
    ProviderFailure,
    /// <summary>The agent refused the lease after it was opened.</summary>
    Refused,
    /// <summary>The consumer asked to cancel.</summary>
    Cancelled,
    /// <summary>The job ran into its own maxDuration and was killed.</summary>
    TimedOut,
}

/// <summary>
/// Everything billing knows about one lease, with times in chain seconds. <see cref="SeenAtSec"/>
/// holds the moments the agent was seen alive while the lease ran (heartbeats, usage-report ends),
/// ascending.
/// </summary>
public sealed record LeaseFacts(
    ulong LeaseId,
    Address Consumer,
    Address Provider,
    ulong OfferId,
    ulong MilliNcu,
    BigInteger PricePerNcuHour,
    BigInteger LockAmount,
    ulong StartSec,
    uint MaxDurationSec,
    ushort UptimeBps,
    ushort PenaltyBps,
    ulong? RunningAtSec,
    ulong? EndedAtSec,
    LeaseOutcome Outcome,
    int? ExitCode,
    IReadOnlyList<ulong> SeenAtSec,
    BigInteger ReportedUsage)
{
    public ulong EndSec => StartSec + MaxDurationSec;

    /// <summary>
    /// Maps the agent's last status report (Market.Protocol's LeaseStatus names) to an outcome.
    /// A failure before the job ran whose detail names the image is the spec's fault.
    /// </summary>
    public static LeaseOutcome OutcomeOf(string? agentStatus, int? exitCode, string? detail, bool ran) => agentStatus switch
    {
        "Exited" => exitCode is null or 0 ? LeaseOutcome.Completed : LeaseOutcome.NonZeroExit,
        "Failed" when !ran && detail is not null && detail.Contains("image", StringComparison.OrdinalIgnoreCase) => LeaseOutcome.BadImage,
        "Failed" => exitCode is { } e && e != 0 && ran ? LeaseOutcome.NonZeroExit : LeaseOutcome.ProviderFailure,
        "Refused" => LeaseOutcome.Refused,
        "Cancelled" => LeaseOutcome.Cancelled,
        "TimedOut" => LeaseOutcome.TimedOut,
        _ => LeaseOutcome.None,
    };
}

using ProviderAgent.Config;
using ProviderAgent.Images;
using ProviderAgent.Inventory;
using ProviderAgent.Metering;
using ProviderAgent.Runtime;
using ProviderAgent.State;

namespace ProviderAgent.Leases;

/// <summary>What the lease lifecycle needs: the local services, the chain check, the meter and the daemon's settings.</summary>
public sealed record LeaseServiceOptions(
    AgentStateStore State,
    IContainerRuntime Runtime,
    ImageStore Images,
    CapacityLedger Ledger,
    LeaseVerifier Verifier,
    UsageMeter Meter,
    DaemonConfig Daemon,
    bool AllowNetwork,
    ObservedThroughput Observed,
    Action<string> Log);

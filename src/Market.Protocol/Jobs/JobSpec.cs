using System.Text.Json.Serialization;

namespace Market.Protocol.Jobs;

/// <summary>
/// What a consumer asks a provider to run. A bid's <c>jobSpecHash</c> is the Keccak-256 of this
/// spec's canonical JSON (<see cref="CanonicalJson"/>), so the provider can prove that the job
/// it runs is the job the consumer signed. Only integers and strings: no floating point, so every
/// implementation (C#, the browser, ethers) produces the same bytes.
/// </summary>
public sealed record JobSpec
{
    /// <summary>Schema version of the spec; 1.</summary>
    public int Version { get; init; } = 1;

    /// <summary>Image in the provider's local store: "name:tag" or "sha256:&lt;digest&gt;".</summary>
    public required string Image { get; init; }

    /// <summary>argv of the process to run.</summary>
    public required IReadOnlyList<string> Command { get; init; }

    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();

    /// <summary>0 Logical (CPU), 1 Parallel (GPU), 2 Neural.</summary>
    public int ComputeType { get; init; }

    /// <summary>Capacity asked for, in milli-NCU. Either this or <see cref="Work"/>.</summary>
    public long? MilliNcu { get; init; }

    /// <summary>Work and deadline, from which the needed capacity is derived (DESIGN §2 demand model).</summary>
    public JobWork? Work { get; init; }

    public JobResources Resources { get; init; } = new();

    public required int MaxDurationSec { get; init; }

    /// <summary>Asks for network access; a provider may refuse jobs that ask.</summary>
    public bool Network { get; init; }

    public JobConstraints? Constraints { get; init; }
}

/// <summary>Work in GFLOP to be done within a deadline in seconds.</summary>
public sealed record JobWork(long Gflop, long DeadlineSec);

public sealed record JobResources
{
    public int MemoryMb { get; init; } = 256;
    public int Pids { get; init; } = 64;
    public int TmpMb { get; init; } = 64;
}

public sealed record JobConstraints
{
    public IReadOnlyList<string>? Regions { get; init; }
    public int? MinMemoryMb { get; init; }
    public string? GpuModel { get; init; }
    public int? MinUptimeBps { get; init; }

    /// <summary>"any", "standard" or "fast" — how soon the job must start once leased.</summary>
    public string? StartLatency { get; init; }
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace ProviderAgent.Config;

/// <summary>
/// The agent's configuration, written by <c>provider-agent init</c> to &lt;data-dir&gt;/agent.json and
/// read by every chain and market command. Holds no secret: the key lives encrypted in
/// <see cref="KeyFile"/> (keystore v3) and the passphrase is never stored.
/// </summary>
public sealed record AgentConfig
{
    public const string FileName = "agent.json";

    public string MarketUrl { get; init; } = "http://127.0.0.1:5000";
    public string RpcUrl { get; init; } = "http://127.0.0.1:8545";
    public string DeploymentFile { get; init; } = "deployments/localhost.json";
    public string KeyFile { get; init; } = "key.json";
    public string Address { get; init; } = "";

    /// <summary>Measured Logical capacity (SGEMM median) and its grade, from the benchmark.</summary>
    public ulong MilliNcu { get; init; }
    public int Grade { get; init; }
    /// <summary>0x Keccak-256 of the canonical probe + benchmark facts, attested on chain with the capacity.</summary>
    public string AttestationHash { get; init; } = "";
    public ulong MemoryMb { get; init; }
    public ulong DiskMb { get; init; }

    public PricingConfig Pricing { get; init; } = new();
    public IReadOnlyList<string> Regions { get; init; } = ["local"];
    public bool AllowNetwork { get; init; }

    /// <summary>Offer terms: the longest lease accepted, the uptime promised (bps) and the penalty on a breach (bps).</summary>
    public uint MaxLeaseSec { get; init; } = 3_600;
    public ushort UptimeBps { get; init; } = 9_900;
    public ushort PenaltyBps { get; init; } = 500;
    /// <summary>Largest single offer in mNCU (0: no limit): bigger capacity is split into several offers.</summary>
    public ulong MaxOfferMilliNcu { get; init; }

    public DaemonConfig Daemon { get; init; } = new();

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    public static string PathIn(string dataDirectory) => System.IO.Path.Combine(dataDirectory, FileName);

    public static AgentConfig Load(string path)
    {
        if (!File.Exists(path)) throw new InvalidOperationException($"no agent config at {path}: run `provider-agent init` first");
        try { return JsonSerializer.Deserialize<AgentConfig>(File.ReadAllText(path), Json) ?? throw new InvalidOperationException($"{path} is empty"); }
        catch (JsonException e) { throw new InvalidOperationException($"{path} is not a valid agent config: {e.Message}"); }
    }

    public void Save(string path)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        string tmp = path + ".tmp";
        File.WriteAllText(tmp, JsonSerializer.Serialize(this, Json));
        File.Move(tmp, path, overwrite: true);
    }

    /// <summary>A path from the config, relative ones taken from the data directory.</summary>
    public static string Resolve(string dataDirectory, string path) =>
        System.IO.Path.IsPathRooted(path) ? path : System.IO.Path.GetFullPath(System.IO.Path.Combine(dataDirectory, path));
}

public enum PricingStrategy { Fixed, ScaleByResource }

/// <summary>
/// How offers are priced, in token base units. Fixed: <see cref="PricePerNcuHour"/>. ScaleByResource
/// (Akash's "scale" bid pricing): each offered slice costs Σ rate × amount of each resource it carries
/// (compute, memory, disk), expressed per NCU-hour of the slice.
/// </summary>
public sealed record PricingConfig
{
    public PricingStrategy Strategy { get; init; } = PricingStrategy.Fixed;
    public long PricePerNcuHour { get; init; } = 2_000_000;
    public long NcuHourRate { get; init; } = 1_500_000;
    public long MemoryGbHourRate { get; init; } = 100_000;
    public long DiskGbHourRate { get; init; } = 1_000;
}

/// <summary>Timings of the <c>run</c> daemon.</summary>
public sealed record DaemonConfig
{
    public int UsageIntervalSec { get; init; } = 10;
    public int HeartbeatSec { get; init; } = 10;
    public int LongPollSec { get; init; } = 25;
    /// <summary>Most output kept per stream and uploaded as the result (stdout).</summary>
    public long OutputCapBytes { get; init; } = 1 << 20;
    /// <summary>Most log bytes streamed to the market per lease (the market keeps 4 MiB per job).</summary>
    public long LogCapBytes { get; init; } = 3 << 20;
    public int LogChunkBytes { get; init; } = 16 * 1024;
    public int LogFlushMs { get; init; } = 500;
}

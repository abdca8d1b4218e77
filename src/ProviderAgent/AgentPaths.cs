using ProviderAgent.State;

namespace ProviderAgent;

/// <summary>Where the agent keeps its data: images, container bundles and the State database.</summary>
public sealed record AgentPaths(string DataDirectory)
{
    public const string EnvironmentVariable = "PROVIDER_AGENT_DATA";
    public const string DefaultDataDirectory = "/var/lib/provider-agent";

    public static string DefaultDirectory() =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } d ? d : DefaultDataDirectory;

    public string StateDatabase => Path.Combine(DataDirectory, "state.db");

    public AgentStateStore OpenState() => new(StateDatabase);
}

using System.CommandLine;
using ProviderAgent.Images;
using ProviderAgent.Runtime;
using ProviderAgent.Runtime.Docker;
using ProviderAgent.Runtime.Runc;
using ProviderAgent.State;

namespace ProviderAgent.Commands;

/// <summary>Options that choose and configure a container backend, shared by the commands that run containers.</summary>
internal static class RuntimeOptions
{
    public static readonly Option<string> Backend = new("--runtime")
    {
        Description = "Container backend: runc (OCI bundles, default) or docker (Engine API over --docker-socket)",
        DefaultValueFactory = _ => "runc",
    };

    public static readonly Option<string> DockerSocket = new("--docker-socket")
    {
        Description = "Docker Engine API socket for --runtime docker",
        DefaultValueFactory = _ => "/run/docker.sock",
    };

    public static readonly Option<bool> AllowNetwork = new("--allow-network")
    {
        Description = "Provider policy: let containers that ask for network share the host network (runc) or use the bridge (docker)",
    };

    public static readonly Option<string> RuncRoot = new("--runc-root")
    {
        Description = "runc state root of this agent (only containers in it are ever touched)",
        DefaultValueFactory = _ => "/run/compute-market/runc",
    };

    public static readonly Option<string> CgroupParent = new("--cgroup-parent")
    {
        Description = "cgroup folder the runc backend puts containers under",
        DefaultValueFactory = _ => "compute-market",
    };

    static RuntimeOptions() => Backend.AcceptOnlyFromAmong("runc", "docker");

    public static void AddTo(Command cmd)
    {
        cmd.Options.Add(Backend);
        cmd.Options.Add(DockerSocket);
        cmd.Options.Add(AllowNetwork);
        cmd.Options.Add(RuncRoot);
        cmd.Options.Add(CgroupParent);
    }

    public static RuncOptions Runc(ParseResult result, AgentPaths paths, bool? allowNetwork = null) => new()
    {
        DataDirectory = paths.DataDirectory,
        AllowNetwork = allowNetwork ?? result.GetValue(AllowNetwork),
        StateRoot = result.GetValue(RuncRoot)!,
        CgroupParent = result.GetValue(CgroupParent)!,
    };

    /// <param name="allowNetwork">The provider's policy from its config; null: the --allow-network flag.</param>
    public static IContainerRuntime Create(ParseResult result, AgentPaths paths, AgentStateStore state, ImageStore images, bool? allowNetwork = null) =>
        result.GetValue(Backend) == "docker"
            ? new DockerRuntime(new DockerOptions
            {
                SocketPath = result.GetValue(DockerSocket)!, DataDirectory = paths.DataDirectory, AllowNetwork = allowNetwork ?? result.GetValue(AllowNetwork),
            }, state, images)
            : new RuncRuntime(Runc(result, paths, allowNetwork), state);
}

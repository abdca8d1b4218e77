using System.CommandLine;

namespace ProviderAgent.Commands;

/// <summary>The whole command tree, one file per command; Program runs it, tests invoke it in-process.</summary>
public static class AgentCommandLine
{
    public static RootCommand Build()
    {
        var root = new RootCommand("Compute Market provider agent: measures this machine, stakes and offers it on chain, and runs leased jobs in isolated containers.");
        root.Options.Add(CommonOptions.DataDir);
        root.Options.Add(ChainOptions.PassphraseFile);
        root.Subcommands.Add(InitCommand.Create());
        root.Subcommands.Add(RegisterCommand.Create());
        root.Subcommands.Add(OfferCommand.Create());
        root.Subcommands.Add(StatusCommand.Create());
        root.Subcommands.Add(StakeCommands.Unbond());
        root.Subcommands.Add(StakeCommands.Withdraw());
        root.Subcommands.Add(DaemonCommand.Create());
        root.Subcommands.Add(ProbeCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(ImageCommand.Create());
        root.Subcommands.Add(RunContainerCommand.Create());
        root.Subcommands.Add(ContainersCommand.Create());
        root.Subcommands.Add(IdleCommand.Create());
        root.Subcommands.Add(BenchStartCommand.Create());
        return root;
    }
}

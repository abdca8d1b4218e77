using System.CommandLine;
using ProviderAgent.Commands;

// One file per command under Commands/; the chain and market commands (init, register, offer,
// run) join this list the same way.
var root = new RootCommand("Compute Market provider agent: measures this machine, stores job images and runs jobs in isolated containers.");
root.Options.Add(CommonOptions.DataDir);
root.Subcommands.Add(ProbeCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
root.Subcommands.Add(ImageCommand.Create());
root.Subcommands.Add(RunContainerCommand.Create());
root.Subcommands.Add(ContainersCommand.Create());
root.Subcommands.Add(IdleCommand.Create());
root.Subcommands.Add(BenchStartCommand.Create());
return await root.Parse(args).InvokeAsync();

using Market.Cli.Cli;

// The consumer CLI. MarketCli builds the command tree (Commands/) and maps failures to exit codes.
return await MarketCli.RunAsync(args, CliEnvironment.FromProcess());

using ProviderAgent.Commands;

// One file per command under Commands/; AgentCommandLine lists them.
return await AgentCommandLine.Build().Parse(args).InvokeAsync();

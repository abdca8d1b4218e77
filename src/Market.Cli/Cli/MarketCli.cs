using System.CommandLine;
using Market.Cli.Commands;

namespace Market.Cli.Cli;

/// <summary>Builds the command tree and runs one command line; parse errors are usage errors (exit 2).</summary>
internal static class MarketCli
{
    public static RootCommand Build(CliEnvironment env)
    {
        var o = new GlobalOptions(env);
        var root = new RootCommand("market: the Compute Market consumer CLI — wallet, escrow, signed job submission, jobs, market data, statements.");
        foreach (var option in o.All) root.Options.Add(option);
        root.Subcommands.Add(AccountCommands.Create(o));
        foreach (var c in EscrowCommands.Create(o)) root.Subcommands.Add(c);
        foreach (var c in MarketDataCommands.Create(o)) root.Subcommands.Add(c);
        root.Subcommands.Add(JobCommands.Create(o));
        root.Subcommands.Add(StatementCommand.Create(o));
        return root;
    }

    public static async Task<int> RunAsync(string[] args, CliEnvironment env, CancellationToken ct = default)
    {
        var parsed = Build(env).Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var e in parsed.Errors) env.Err.WriteLine($"error: {e.Message}");
            env.Err.WriteLine("see `market --help`");
            return ExitCodes.Usage;
        }
        try
        {
            return await parsed.InvokeAsync(new InvocationConfiguration { Output = env.Out, Error = env.Err, EnableDefaultExceptionHandler = false }, ct);
        }
        catch (Exception e) { return ErrorReporter.Report(e, env.Err); }
    }

    /// <summary>Wraps a command's body: the context for this invocation, and every failure reported as one line.</summary>
    public static void Action(this Command cmd, GlobalOptions o, Func<ParseResult, CliContext, CancellationToken, Task<int>> body) =>
        cmd.SetAction(async (r, ct) =>
        {
            var ctx = o.Context(r);
            try { return await body(r, ctx, ct); }
            catch (Exception e) { return ErrorReporter.Report(e, o.Env.Err); }
        });
}

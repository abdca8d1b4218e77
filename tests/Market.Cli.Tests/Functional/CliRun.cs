using System.Text.Json.Nodes;
using Market.Cli.Cli;

namespace Market.Cli.Tests.Functional;

/// <summary>One in-process run of the CLI: exit code, stdout and stderr.</summary>
public sealed record CliResult(int Code, string Out, string Err)
{
    public JsonNode Json => JsonNode.Parse(Out) ?? throw new InvalidOperationException("no JSON on stdout: " + Err);
    public override string ToString() => $"exit {Code}\nstdout:\n{Out}\nstderr:\n{Err}";
}

/// <summary>
/// Runs `market` in this process with captured output, its own config directory and the given
/// environment (never the test process's), and remembers every output so tests can check that no
/// secret ever appeared in any of them.
/// </summary>
public sealed class CliRunner(string configDirectory, IReadOnlyDictionary<string, string> variables)
{
    private readonly List<CliResult> _all = [];

    public IReadOnlyList<CliResult> All { get { lock (_all) return [.. _all]; } }

    public CliRunner With(string name, string value) =>
        new(configDirectory, new Dictionary<string, string>(variables) { [name] = value });

    public async Task<CliResult> RunAsync(params string[] args)
    {
        var out_ = new StringWriter();
        var err = new StringWriter();
        var env = new CliEnvironment
        {
            Out = out_, Err = err, Home = configDirectory,
            Variable = n => n == "MARKET_CONFIG_DIR" ? configDirectory : variables.GetValueOrDefault(n),
        };
        var code = await MarketCli.RunAsync(args, env);
        var r = new CliResult(code, out_.ToString(), err.ToString());
        lock (_all) _all.Add(r);
        return r;
    }
}

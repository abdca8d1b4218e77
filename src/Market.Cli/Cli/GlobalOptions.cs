using System.CommandLine;

namespace Market.Cli.Cli;

/// <summary>
/// The options every command takes. Defaults come from the environment the CLI was given
/// (MARKET_API, MARKET_RPC, MARKET_DEPLOYMENT, MARKET_KEYSTORE), so they are per instance.
/// </summary>
internal sealed class GlobalOptions
{
    public GlobalOptions(CliEnvironment env)
    {
        Env = env;
        Api = new("--api")
        {
            Description = "Market API base URL (env MARKET_API)", Recursive = true,
            DefaultValueFactory = _ => env.Variable("MARKET_API") is { Length: > 0 } v ? v : "http://127.0.0.1:8080",
        };
        Rpc = new("--rpc") { Description = "Ethereum JSON-RPC URL (env MARKET_RPC)", Recursive = true, DefaultValueFactory = _ => Nonempty(env.Variable("MARKET_RPC")) };
        Deployment = new("--deployment")
        {
            Description = "deployments/*.json written by scripts/deploy.js (env MARKET_DEPLOYMENT)", Recursive = true,
            DefaultValueFactory = _ => Nonempty(env.Variable("MARKET_DEPLOYMENT")),
        };
        Keystore = new("--keystore")
        {
            Description = "Keystore v3 file (env MARKET_KEYSTORE, default ~/.config/market/key.json)", Recursive = true,
            DefaultValueFactory = _ => Nonempty(env.Variable("MARKET_KEYSTORE")) ?? Path.Combine(env.ConfigDirectory, "key.json"),
        };
        PassphraseFile = new("--passphrase-file") { Description = "File holding the keystore passphrase (else env MARKET_PASSPHRASE, else a prompt)", Recursive = true };
        Json = new("--json") { Description = "Machine-readable output: one JSON document on stdout", Recursive = true };
    }

    public CliEnvironment Env { get; }
    public Option<string> Api { get; }
    public Option<string?> Rpc { get; }
    public Option<string?> Deployment { get; }
    public Option<string> Keystore { get; }
    public Option<string?> PassphraseFile { get; }
    public Option<bool> Json { get; }

    public IEnumerable<Option> All => [Api, Rpc, Deployment, Keystore, PassphraseFile, Json];

    public CliContext Context(ParseResult r) => new(Env, r.GetValue(Api)!, r.GetValue(Rpc), r.GetValue(Deployment), r.GetValue(Keystore)!,
        r.GetValue(PassphraseFile), r.GetValue(Json));

    private static string? Nonempty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}

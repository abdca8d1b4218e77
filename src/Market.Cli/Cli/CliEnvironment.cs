namespace Market.Cli.Cli;

/// <summary>
/// What the CLI takes from the outside world: its output streams, environment variables, the home
/// directory and (when interactive) a secret prompt. Tests pass their own, so many CLI invocations
/// can run in one process without touching the real console or environment.
/// </summary>
internal sealed class CliEnvironment
{
    public required TextWriter Out { get; init; }
    public required TextWriter Err { get; init; }
    public required Func<string, string?> Variable { get; init; }
    public required string Home { get; init; }
    /// <summary>Reads a secret without echo; null when there is no terminal to ask.</summary>
    public Func<string, string>? PromptSecret { get; init; }
    /// <summary>Whether Out is a terminal (colour and width); false for captured output.</summary>
    public bool OutIsTerminal { get; init; }

    /// <summary>~/.config/market, or $MARKET_CONFIG_DIR.</summary>
    public string ConfigDirectory => Variable("MARKET_CONFIG_DIR") is { Length: > 0 } d ? d : Path.Combine(Home, ".config", "market");

    public static CliEnvironment FromProcess() => new()
    {
        Out = Console.Out,
        Err = Console.Error,
        Variable = Environment.GetEnvironmentVariable,
        Home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile),
        PromptSecret = Console.IsInputRedirected ? null : SecretPrompt.Read,
        OutIsTerminal = !Console.IsOutputRedirected,
    };
}

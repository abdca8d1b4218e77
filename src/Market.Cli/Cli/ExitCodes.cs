namespace Market.Cli.Cli;

/// <summary>The CLI's exit codes, part of its contract with scripts (docs/cli.md).</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>Unexpected failure, I/O, the API or the RPC node unreachable.</summary>
    public const int Error = 1;
    /// <summary>Bad arguments, unreadable spec or key file, wrong passphrase.</summary>
    public const int Usage = 2;
    /// <summary>Refused: an API 4xx problem or a chain revert.</summary>
    public const int Refused = 3;
    /// <summary>The job ended unsuccessfully, or --wait timed out.</summary>
    public const int JobFailed = 4;
}

/// <summary>A failure the CLI reports as one line and an exit code.</summary>
internal class CliException(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;

    public static CliException Usage(string message) => new(ExitCodes.Usage, message);
}

/// <summary>An RFC 9457 problem from the API; <see cref="Code"/> is the last segment of its type.</summary>
internal sealed class ProblemException(int status, string code, string detail)
    : CliException(status is >= 400 and < 500 ? ExitCodes.Refused : ExitCodes.Error, $"{code}: {detail}")
{
    public int Status { get; } = status;
    public string Code { get; } = code;
    public string Detail { get; } = detail;
}

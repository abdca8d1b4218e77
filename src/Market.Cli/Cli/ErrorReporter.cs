using Market.Chain;

namespace Market.Cli.Cli;

/// <summary>Turns any failure into `error: …` on stderr and an exit code — never a stack trace.</summary>
internal static class ErrorReporter
{
    public static int Report(Exception e, TextWriter err)
    {
        var (code, message) = Map(e);
        err.WriteLine($"error: {message}");
        return code;
    }

    public static (int Code, string Message) Map(Exception e) => e switch
    {
        CliException c => (c.ExitCode, c.Message),
        ContractRevertException r => (ExitCodes.Refused, $"{r.ErrorName ?? "reverted"}: {r.Message}"),
        KeystoreException k => (ExitCodes.Usage, $"cannot open the keystore: {k.Message}"),
        TransactionFailedException t => (ExitCodes.Refused, $"transaction-failed: {t.Message}"),
        ChainException c => (ExitCodes.Error, $"chain: {c.Message}"),
        HttpRequestException h => (ExitCodes.Error, $"cannot reach the API: {h.Message}"),
        TaskCanceledException or OperationCanceledException => (ExitCodes.Error, "timed out or cancelled"),
        IOException or UnauthorizedAccessException => (ExitCodes.Error, e.Message),
        _ => (ExitCodes.Error, $"unexpected {e.GetType().Name}: {e.Message}"),
    };
}

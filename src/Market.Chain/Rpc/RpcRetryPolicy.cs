namespace Market.Chain.Rpc;

/// <summary>Retries on transport failures only (connection refused, timeouts, HTTP 5xx/429), with exponential backoff.</summary>
public sealed record RpcRetryPolicy
{
    public int MaxAttempts { get; init; } = 4;
    public TimeSpan InitialDelay { get; init; } = TimeSpan.FromMilliseconds(100);
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(2);
    /// <summary>Per-request timeout.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public static RpcRetryPolicy None { get; } = new() { MaxAttempts = 1 };

    internal TimeSpan DelayFor(int attempt) =>
        TimeSpan.FromMilliseconds(Math.Min(MaxDelay.TotalMilliseconds, InitialDelay.TotalMilliseconds * Math.Pow(2, attempt - 1)));
}

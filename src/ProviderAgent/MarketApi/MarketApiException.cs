using System.Net;

namespace ProviderAgent.MarketApi;

/// <summary>
/// A market API answer that is not a success. <see cref="IsPermanent"/>: the request itself was
/// refused (4xx other than 401/408/429), so sending it again cannot help.
/// </summary>
public sealed class MarketApiException(HttpStatusCode status, string message) : Exception(message)
{
    public HttpStatusCode Status { get; } = status;

    public bool IsPermanent => (int)Status is >= 400 and < 500 and not 401 and not 408 and not 429 && !NotYet;

    /// <summary>
    /// A usage interval the market judges to end in its future: its chain clock lags ours (a chain
    /// that ran ahead of the wall clock stands still until the wall catches up). Later it will not;
    /// skipping it would turn every later report of the lease out of order.
    /// </summary>
    private bool NotYet => Message.Contains("/problems/usage-infuture\"", StringComparison.Ordinal);
}

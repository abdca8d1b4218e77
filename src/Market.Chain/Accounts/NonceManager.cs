using System.Numerics;
using Market.Chain.Rpc;

namespace Market.Chain.Accounts;

/// <summary>
/// Hands out nonces for one account to many concurrent senders with no gap and no reuse. Each
/// send runs inside <see cref="SendWithNonceAsync{T}"/>, which holds the account's lock only while
/// the transaction is signed and submitted (milliseconds) — receipts are awaited outside it. The
/// nonce advances only when the node accepted the transaction; after any failure the next send
/// resyncs from the chain's pending nonce (the node may have mined a reverting tx, or accepted a
/// tx whose answer was lost).
/// </summary>
public sealed class NonceManager
{
    private readonly EthClient _client;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private BigInteger? _next;

    public NonceManager(EthClient client, Address account)
    {
        _client = client;
        Account = account;
    }

    public Address Account { get; }

    /// <summary>The next nonce to be used, when known (null until the first send or after a failure).</summary>
    public BigInteger? Peek => _next;

    public async Task<T> SendWithNonceAsync<T>(Func<BigInteger, Task<T>> send, CancellationToken ct = default)
    {
        await _lock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            _next ??= await _client.GetTransactionCountAsync(Account, BlockParameter.Pending, ct).ConfigureAwait(false);
            var nonce = _next.Value;
            try
            {
                var result = await send(nonce).ConfigureAwait(false);
                _next = nonce + 1;
                return result;
            }
            catch
            {
                _next = null;
                throw;
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Forgets the cached nonce; the next send reads the chain's pending nonce.</summary>
    public async Task ResyncAsync(CancellationToken ct = default)
    {
        await _lock.WaitAsync(ct).ConfigureAwait(false);
        try { _next = await _client.GetTransactionCountAsync(Account, BlockParameter.Pending, ct).ConfigureAwait(false); }
        finally { _lock.Release(); }
    }
}

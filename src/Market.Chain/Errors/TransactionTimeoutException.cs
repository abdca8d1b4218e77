namespace Market.Chain;

/// <summary>No receipt for a transaction within the wait limit.</summary>
public sealed class TransactionTimeoutException : ChainException
{
    public TransactionTimeoutException(string txHash, TimeSpan waited)
        : base($"no receipt for {txHash} after {waited.TotalSeconds:0.#} s")
    {
        TransactionHash = txHash;
    }

    public string TransactionHash { get; }
}

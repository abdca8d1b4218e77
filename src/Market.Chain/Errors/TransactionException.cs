namespace Market.Chain;

/// <summary>A transaction is malformed or cannot be signed.</summary>
public sealed class TransactionException : ChainException
{
    public TransactionException(string message) : base(message) { }
    public TransactionException(string message, Exception inner) : base(message, inner) { }
}

namespace Market.Chain;

/// <summary>EIP-712 typed data is malformed.</summary>
public sealed class TypedDataException : ChainException
{
    public TypedDataException(string message) : base(message) { }
    public TypedDataException(string message, Exception inner) : base(message, inner) { }
}

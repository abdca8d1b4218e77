namespace Market.Chain;

/// <summary>Malformed or non-canonical RLP.</summary>
public sealed class RlpException : ChainException
{
    public RlpException(string message) : base(message) { }
    public RlpException(string message, Exception inner) : base(message, inner) { }
}

namespace Market.Chain;

/// <summary>A value cannot be ABI-encoded as the requested type.</summary>
public sealed class AbiEncodingException : ChainException
{
    public AbiEncodingException(string message) : base(message) { }
    public AbiEncodingException(string message, Exception inner) : base(message, inner) { }
}

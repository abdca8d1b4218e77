namespace Market.Chain;

/// <summary>ABI data is malformed or too short for the requested types.</summary>
public sealed class AbiDecodingException : ChainException
{
    public AbiDecodingException(string message) : base(message) { }
    public AbiDecodingException(string message, Exception inner) : base(message, inner) { }
}

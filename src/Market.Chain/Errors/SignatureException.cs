namespace Market.Chain;

/// <summary>A signature or key is invalid.</summary>
public sealed class SignatureException : ChainException
{
    public SignatureException(string message) : base(message) { }
    public SignatureException(string message, Exception inner) : base(message, inner) { }
}

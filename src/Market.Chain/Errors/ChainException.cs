namespace Market.Chain;

/// <summary>Base of every exception Market.Chain throws on bad input or a failed chain call.</summary>
public class ChainException : Exception
{
    public ChainException(string message) : base(message) { }
    public ChainException(string message, Exception inner) : base(message, inner) { }
}

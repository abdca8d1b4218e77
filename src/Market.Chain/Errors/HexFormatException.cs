namespace Market.Chain;

/// <summary>Malformed hex text.</summary>
public sealed class HexFormatException : ChainException
{
    public HexFormatException(string message) : base(message) { }
    public HexFormatException(string message, Exception inner) : base(message, inner) { }
}

namespace Market.Chain.Abi;

/// <summary>A named function/event/error parameter or tuple component.</summary>
public sealed record AbiParameter(string Name, AbiType Type, bool Indexed = false, string? InternalType = null)
{
    public override string ToString() => string.IsNullOrEmpty(Name) ? Type.CanonicalName : $"{Type.CanonicalName} {Name}";
}

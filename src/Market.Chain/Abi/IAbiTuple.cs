namespace Market.Chain.Abi;

/// <summary>A C# type that encodes as an ABI tuple (generated struct classes implement it).</summary>
public interface IAbiTuple
{
    /// <summary>Component values in ABI order.</summary>
    object?[] ToAbiValues();
}

namespace Market.Chain.Abi;

/// <summary>A parsed ABI entry before it becomes a function, event or error.</summary>
internal sealed record AbiFragment(string Kind, string Name, IReadOnlyList<AbiParameter> Inputs, IReadOnlyList<AbiParameter> Outputs, string StateMutability, bool Anonymous);

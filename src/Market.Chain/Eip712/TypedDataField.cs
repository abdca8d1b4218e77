namespace Market.Chain.Eip712;

/// <summary>One member of an EIP-712 struct type: its name and Solidity type ("uint256", "Person[]").</summary>
public sealed record TypedDataField(string Name, string Type);

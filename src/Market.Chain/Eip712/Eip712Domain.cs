using System.Numerics;

namespace Market.Chain.Eip712;

/// <summary>The EIP-712 domain; only the members that are set take part (in the standard order).</summary>
public sealed record Eip712Domain
{
    public string? Name { get; init; }
    public string? Version { get; init; }
    public BigInteger? ChainId { get; init; }
    public Address? VerifyingContract { get; init; }
    public byte[]? Salt { get; init; }

    /// <summary>The EIP712Domain struct type these members imply.</summary>
    public IReadOnlyList<TypedDataField> Fields()
    {
        var fields = new List<TypedDataField>();
        if (Name is not null) fields.Add(new("name", "string"));
        if (Version is not null) fields.Add(new("version", "string"));
        if (ChainId is not null) fields.Add(new("chainId", "uint256"));
        if (VerifyingContract is not null) fields.Add(new("verifyingContract", "address"));
        if (Salt is not null) fields.Add(new("salt", "bytes32"));
        return fields;
    }

    public IReadOnlyDictionary<string, object?> Values()
    {
        var values = new Dictionary<string, object?>();
        if (Name is not null) values["name"] = Name;
        if (Version is not null) values["version"] = Version;
        if (ChainId is not null) values["chainId"] = ChainId.Value;
        if (VerifyingContract is not null) values["verifyingContract"] = VerifyingContract.Value;
        if (Salt is not null) values["salt"] = Salt;
        return values;
    }

    /// <summary>hashStruct(EIP712Domain).</summary>
    public byte[] Separator() => Eip712Encoder.HashStruct("EIP712Domain",
        new Dictionary<string, IReadOnlyList<TypedDataField>> { ["EIP712Domain"] = Fields() }, Values());
}

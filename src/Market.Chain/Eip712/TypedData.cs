namespace Market.Chain.Eip712;

/// <summary>
/// A complete EIP-712 message. Values are C# objects: structs as IReadOnlyDictionary&lt;string, object?&gt;,
/// arrays as lists, integers as any integer type / BigInteger / decimal or hex string, addresses as
/// <see cref="Address"/> or hex, bytes as byte[] or hex. <see cref="TypedDataJson.Parse"/> reads the
/// eth_signTypedData_v4 JSON form into this.
/// </summary>
public sealed record TypedData(
    Eip712Domain Domain,
    IReadOnlyDictionary<string, IReadOnlyList<TypedDataField>> Types,
    string PrimaryType,
    IReadOnlyDictionary<string, object?> Message)
{
    /// <summary>Keccak(0x19 0x01 ‖ domainSeparator ‖ hashStruct(message)) — what is signed.</summary>
    public byte[] Hash() => Eip712Encoder.Hash(this);
}

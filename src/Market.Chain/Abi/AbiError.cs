using Market.Chain.Crypto;

namespace Market.Chain.Abi;

/// <summary>A Solidity custom error (and the built-ins Error(string), Panic(uint256)).</summary>
public sealed class AbiError
{
    public AbiError(string name, IReadOnlyList<AbiParameter> inputs)
    {
        Name = name;
        Inputs = inputs;
        Signature = $"{name}({string.Join(",", inputs.Select(i => i.Type.CanonicalName))})";
        Selector = Keccak256.Hash(Signature)[..4];
    }

    public static AbiError Parse(string humanReadable)
    {
        var f = AbiSignatureParser.ParseFragment(humanReadable);
        if (f.Kind != "error") throw new AbiEncodingException($"not an error: {humanReadable}");
        return new AbiError(f.Name, f.Inputs);
    }

    public static AbiError ErrorString { get; } = new("Error", [new AbiParameter("message", AbiType.String)]);
    public static AbiError Panic { get; } = new("Panic", [new AbiParameter("code", AbiType.UInt(256))]);

    public string Name { get; }
    public IReadOnlyList<AbiParameter> Inputs { get; }
    public string Signature { get; }
    public byte[] Selector { get; }

    public bool Matches(ReadOnlySpan<byte> revertData) => revertData.Length >= 4 && revertData[..4].SequenceEqual(Selector);

    public object?[] DecodeArguments(ReadOnlySpan<byte> revertData)
    {
        if (!Matches(revertData)) throw new AbiDecodingException($"revert data does not start with the selector of {Signature}");
        return AbiDecoder.Decode(Inputs, revertData[4..]);
    }

    public byte[] Encode(params object?[] arguments) => [.. Selector, .. AbiEncoder.Encode(Inputs, arguments)];

    public override string ToString() => Signature;
}

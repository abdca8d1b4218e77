using Market.Chain.Crypto;

namespace Market.Chain.Abi;

/// <summary>A contract function: signature, selector, call encoding and output decoding.</summary>
public sealed class AbiFunction
{
    public AbiFunction(string name, IReadOnlyList<AbiParameter> inputs, IReadOnlyList<AbiParameter> outputs, string stateMutability = "nonpayable")
    {
        Name = name;
        Inputs = inputs;
        Outputs = outputs;
        StateMutability = stateMutability;
        Signature = $"{name}({string.Join(",", inputs.Select(i => i.Type.CanonicalName))})";
        Selector = Keccak256.Hash(Signature)[..4];
    }

    /// <summary>Parses "function foo(uint256,(address,bytes)[]) view returns (bool)".</summary>
    public static AbiFunction Parse(string humanReadable)
    {
        var f = AbiSignatureParser.ParseFragment(humanReadable);
        if (f.Kind != "function") throw new AbiEncodingException($"not a function: {humanReadable}");
        return new AbiFunction(f.Name, f.Inputs, f.Outputs, f.StateMutability);
    }

    public string Name { get; }
    public IReadOnlyList<AbiParameter> Inputs { get; }
    public IReadOnlyList<AbiParameter> Outputs { get; }
    public string StateMutability { get; }
    public bool IsReadOnly => StateMutability is "view" or "pure";
    public string Signature { get; }
    public byte[] Selector { get; }
    public string SelectorHex => Hex.Encode(Selector);

    public byte[] EncodeCall(params object?[] arguments)
    {
        var body = AbiEncoder.Encode(Inputs, arguments);
        var result = new byte[4 + body.Length];
        Selector.CopyTo(result, 0);
        body.CopyTo(result, 4);
        return result;
    }

    /// <summary>Decodes calldata (selector checked) into the input values.</summary>
    public object?[] DecodeCall(ReadOnlySpan<byte> calldata)
    {
        if (calldata.Length < 4 || !calldata[..4].SequenceEqual(Selector))
            throw new AbiDecodingException($"calldata does not start with the selector of {Signature}");
        return AbiDecoder.Decode(Inputs, calldata[4..]);
    }

    public object?[] DecodeOutput(ReadOnlySpan<byte> returnData) => AbiDecoder.Decode(Outputs, returnData);

    public override string ToString() => Signature;
}

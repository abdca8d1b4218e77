using Market.Chain.Crypto;

namespace Market.Chain.Abi;

/// <summary>
/// An event. Indexed static values are decoded from topics; indexed dynamic values (string, bytes,
/// arrays, tuples) are only present as their Keccak-256 hash, so they decode to that 32-byte hash.
/// </summary>
public sealed class AbiEvent
{
    public AbiEvent(string name, IReadOnlyList<AbiParameter> inputs, bool anonymous = false)
    {
        Name = name;
        Inputs = inputs;
        Anonymous = anonymous;
        Signature = $"{name}({string.Join(",", inputs.Select(i => i.Type.CanonicalName))})";
        Topic0 = Keccak256.Hash(Signature);
    }

    public static AbiEvent Parse(string humanReadable)
    {
        var f = AbiSignatureParser.ParseFragment(humanReadable);
        if (f.Kind != "event") throw new AbiEncodingException($"not an event: {humanReadable}");
        return new AbiEvent(f.Name, f.Inputs, f.Anonymous);
    }

    public string Name { get; }
    public IReadOnlyList<AbiParameter> Inputs { get; }
    public bool Anonymous { get; }
    public string Signature { get; }
    public byte[] Topic0 { get; }
    public string Topic0Hex => Hex.Encode(Topic0);

    public bool Matches(IReadOnlyList<byte[]> topics) => !Anonymous && topics.Count > 0 && topics[0].AsSpan().SequenceEqual(Topic0);

    /// <summary>Decodes a log's topics and data into values in parameter order.</summary>
    public DecodedEvent Decode(IReadOnlyList<byte[]> topics, ReadOnlySpan<byte> data)
    {
        int first = Anonymous ? 0 : 1;
        if (!Anonymous && !Matches(topics)) throw new AbiDecodingException($"log is not a {Signature} event (topic0 differs)");
        var indexed = Inputs.Where(i => i.Indexed).ToList();
        if (topics.Count != first + indexed.Count)
            throw new AbiDecodingException($"{Signature} has {indexed.Count} indexed parameters, the log has {topics.Count - first} topics");
        var nonIndexed = Inputs.Where(i => !i.Indexed).ToList();
        var dataValues = AbiDecoder.Decode(nonIndexed, data);
        var values = new object?[Inputs.Count];
        int t = first, d = 0;
        for (int i = 0; i < Inputs.Count; i++)
        {
            if (!Inputs[i].Indexed) { values[i] = dataValues[d++]; continue; }
            var topic = topics[t++];
            if (topic.Length != 32) throw new AbiDecodingException("a topic has 32 bytes");
            values[i] = Inputs[i].Type.IsDynamic || Inputs[i].Type.Kind is AbiTypeKind.Tuple or AbiTypeKind.FixedArray
                ? topic
                : AbiDecoder.DecodeValue(Inputs[i].Type, topic);
        }
        return new DecodedEvent(this, values);
    }

    /// <summary>The topic for an indexed value, for log filters (dynamic values hashed).</summary>
    public static byte[] EncodeTopic(AbiType type, object? value) => type.Kind switch
    {
        AbiTypeKind.String => Keccak256.Hash(value as string ?? throw new AbiEncodingException("expected a string")),
        AbiTypeKind.Bytes => Keccak256.Hash(AbiValues.ToBytes(value)),
        AbiTypeKind.Array or AbiTypeKind.FixedArray or AbiTypeKind.Tuple =>
            throw new AbiEncodingException("topics of indexed arrays and tuples are not supported; pass the hash"),
        _ => AbiEncoder.EncodeValue(type, value),
    };

    public override string ToString() => Signature;
}

using System.Text.Json;

namespace Market.Chain.Abi;

/// <summary>A contract's ABI: from the JSON ABI (Hardhat artifact, solc) or human-readable fragments.</summary>
public sealed class ContractAbi
{
    public ContractAbi(IEnumerable<AbiFunction> functions, IEnumerable<AbiEvent> events, IEnumerable<AbiError> errors, IReadOnlyList<AbiParameter>? constructorInputs = null)
    {
        Functions = functions.ToList();
        Events = events.ToList();
        Errors = errors.ToList();
        ConstructorInputs = constructorInputs ?? [];
    }

    public IReadOnlyList<AbiFunction> Functions { get; }
    public IReadOnlyList<AbiEvent> Events { get; }
    public IReadOnlyList<AbiError> Errors { get; }
    public IReadOnlyList<AbiParameter> ConstructorInputs { get; }

    /// <summary>The only function with this name, or the one with this exact signature "foo(uint256)".</summary>
    public AbiFunction GetFunction(string nameOrSignature)
    {
        var matches = Functions.Where(f => f.Signature == nameOrSignature).ToList();
        if (matches.Count == 0) matches = Functions.Where(f => f.Name == nameOrSignature).ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new AbiEncodingException($"no function '{nameOrSignature}' in the ABI"),
            _ => throw new AbiEncodingException($"'{nameOrSignature}' is overloaded; use the full signature"),
        };
    }

    public AbiEvent GetEvent(string name) =>
        Events.SingleOrDefault(e => e.Name == name || e.Signature == name) ?? throw new AbiEncodingException($"no event '{name}' in the ABI");

    public AbiEvent? FindEvent(ReadOnlySpan<byte> topic0)
    {
        foreach (var e in Events) if (!e.Anonymous && e.Topic0.AsSpan().SequenceEqual(topic0)) return e;
        return null;
    }

    public AbiError? FindError(ReadOnlySpan<byte> revertData)
    {
        foreach (var e in Errors) if (e.Matches(revertData)) return e;
        return null;
    }

    public static ContractAbi FromHumanReadable(IEnumerable<string> fragments)
    {
        List<AbiFunction> functions = [];
        List<AbiEvent> events = [];
        List<AbiError> errors = [];
        IReadOnlyList<AbiParameter>? ctor = null;
        foreach (var text in fragments)
        {
            var f = AbiSignatureParser.ParseFragment(text);
            switch (f.Kind)
            {
                case "function": functions.Add(new AbiFunction(f.Name, f.Inputs, f.Outputs, f.StateMutability)); break;
                case "event": events.Add(new AbiEvent(f.Name, f.Inputs, f.Anonymous)); break;
                case "error": errors.Add(new AbiError(f.Name, f.Inputs)); break;
                case "constructor": ctor = f.Inputs; break;
            }
        }
        return new ContractAbi(functions, events, errors, ctor);
    }

    /// <summary>Parses a JSON ABI array (or an artifact object with an "abi" property).</summary>
    public static ContractAbi FromJson(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            return FromJson(doc.RootElement);
        }
        catch (JsonException ex) { throw new AbiEncodingException("the ABI is not valid JSON", ex); }
    }

    public static ContractAbi FromJson(JsonElement root)
    {
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("abi", out var inner)) root = inner;
        if (root.ValueKind != JsonValueKind.Array) throw new AbiEncodingException("a JSON ABI is an array");
        List<AbiFunction> functions = [];
        List<AbiEvent> events = [];
        List<AbiError> errors = [];
        IReadOnlyList<AbiParameter>? ctor = null;
        foreach (var entry in root.EnumerateArray())
        {
            var type = Str(entry, "type") ?? "function";
            var name = Str(entry, "name") ?? "";
            var inputs = Params(entry, "inputs");
            switch (type)
            {
                case "function":
                    functions.Add(new AbiFunction(name, inputs, Params(entry, "outputs"), Str(entry, "stateMutability") ?? "nonpayable"));
                    break;
                case "event":
                    events.Add(new AbiEvent(name, inputs, entry.TryGetProperty("anonymous", out var a) && a.ValueKind == JsonValueKind.True));
                    break;
                case "error": errors.Add(new AbiError(name, inputs)); break;
                case "constructor": ctor = inputs; break;
            }
        }
        return new ContractAbi(functions, events, errors, ctor);
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static List<AbiParameter> Params(JsonElement entry, string property)
    {
        if (!entry.TryGetProperty(property, out var list) || list.ValueKind != JsonValueKind.Array) return [];
        return list.EnumerateArray().Select(Param).ToList();
    }

    private static AbiParameter Param(JsonElement p)
    {
        var typeText = Str(p, "type") ?? throw new AbiEncodingException("ABI parameter without a type");
        AbiType type;
        if (typeText.StartsWith("tuple", StringComparison.Ordinal))
        {
            // "tuple", "tuple[]", "tuple[2][]": build the tuple from components, then the suffix.
            type = AbiType.Tuple(Params(p, "components"));
            var suffix = typeText[5..];
            if (suffix.Length > 0) type = AbiType.Parse(type.CanonicalName + suffix) is var parsed ? Rewrap(parsed, type) : type;
        }
        else type = AbiType.Parse(typeText);
        var indexed = p.TryGetProperty("indexed", out var ix) && ix.ValueKind == JsonValueKind.True;
        return new AbiParameter(Str(p, "name") ?? "", type, indexed, Str(p, "internalType"));
    }

    /// <summary>Replaces the innermost element of an array type parsed from text with the named tuple.</summary>
    private static AbiType Rewrap(AbiType parsed, AbiType tuple) => parsed.Kind switch
    {
        AbiTypeKind.Array => AbiType.ArrayOf(Rewrap(parsed.Element!, tuple)),
        AbiTypeKind.FixedArray => AbiType.FixedArrayOf(Rewrap(parsed.Element!, tuple), parsed.Length),
        _ => tuple,
    };
}

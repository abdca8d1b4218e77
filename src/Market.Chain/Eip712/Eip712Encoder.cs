using System.Collections;
using System.Text;
using Market.Chain.Abi;
using Market.Chain.Crypto;

namespace Market.Chain.Eip712;

/// <summary>EIP-712 encodeType / typeHash / encodeData / hashStruct, for nested structs and arrays.</summary>
public static class Eip712Encoder
{
    private const int MaxDepth = 32;

    public static byte[] Hash(TypedData data)
    {
        var domainSeparator = data.Types.TryGetValue("EIP712Domain", out var domainFields)
            ? HashStruct("EIP712Domain", data.Types, data.Domain.Values().Where(kv => domainFields.Any(f => f.Name == kv.Key)).ToDictionary())
            : data.Domain.Separator();
        return HashWithSeparator(domainSeparator, HashStruct(data.PrimaryType, data.Types, data.Message));
    }

    public static byte[] HashWithSeparator(ReadOnlySpan<byte> domainSeparator, ReadOnlySpan<byte> structHash)
    {
        Span<byte> buffer = stackalloc byte[66];
        buffer[0] = 0x19;
        buffer[1] = 0x01;
        domainSeparator.CopyTo(buffer[2..]);
        structHash.CopyTo(buffer[34..]);
        return Keccak256.Hash(buffer);
    }

    /// <summary>"Mail(Person from,Person to,string contents)Person(string name,address wallet)".</summary>
    public static string EncodeType(string primaryType, IReadOnlyDictionary<string, IReadOnlyList<TypedDataField>> types)
    {
        if (!types.ContainsKey(primaryType)) throw new TypedDataException($"unknown struct type '{primaryType}'");
        var deps = new SortedSet<string>(StringComparer.Ordinal);
        CollectDependencies(primaryType, types, deps, 0);
        deps.Remove(primaryType);
        var sb = new StringBuilder();
        foreach (var name in new[] { primaryType }.Concat(deps))
        {
            sb.Append(name).Append('(');
            sb.AppendJoin(',', types[name].Select(f => f.Type + " " + f.Name));
            sb.Append(')');
        }
        return sb.ToString();
    }

    public static byte[] TypeHash(string primaryType, IReadOnlyDictionary<string, IReadOnlyList<TypedDataField>> types) =>
        Keccak256.Hash(EncodeType(primaryType, types));

    public static byte[] HashStruct(string type, IReadOnlyDictionary<string, IReadOnlyList<TypedDataField>> types, IReadOnlyDictionary<string, object?> value) =>
        Keccak256.Hash(EncodeData(type, types, value, 0));

    public static byte[] EncodeData(string type, IReadOnlyDictionary<string, IReadOnlyList<TypedDataField>> types, IReadOnlyDictionary<string, object?> value) =>
        EncodeData(type, types, value, 0);

    private static byte[] EncodeData(string type, IReadOnlyDictionary<string, IReadOnlyList<TypedDataField>> types, IReadOnlyDictionary<string, object?> value, int depth)
    {
        if (depth > MaxDepth) throw new TypedDataException("typed data nested too deeply");
        if (!types.TryGetValue(type, out var fields)) throw new TypedDataException($"unknown struct type '{type}'");
        var output = new byte[32 * (fields.Count + 1)];
        TypeHash(type, types).CopyTo(output, 0);
        for (int i = 0; i < fields.Count; i++)
        {
            if (!value.TryGetValue(fields[i].Name, out var member)) throw new TypedDataException($"{type} value has no member '{fields[i].Name}'");
            EncodeField(fields[i].Type, types, member, depth).CopyTo(output, 32 * (i + 1));
        }
        return output;
    }

    private static byte[] EncodeField(string type, IReadOnlyDictionary<string, IReadOnlyList<TypedDataField>> types, object? value, int depth)
    {
        if (type.EndsWith(']'))
        {
            int open = type.LastIndexOf('[');
            if (open < 0) throw new TypedDataException($"bad array type '{type}'");
            var element = type[..open];
            var lengthText = type[(open + 1)..^1];
            if (value is not IList items || value is byte[] || value is string) throw new TypedDataException($"expected a list for {type}");
            if (lengthText.Length > 0 && (!int.TryParse(lengthText, out var n) || n != items.Count))
                throw new TypedDataException($"{type} needs {lengthText} items, got {items.Count}");
            var concat = new byte[32 * items.Count];
            for (int i = 0; i < items.Count; i++) EncodeField(element, types, items[i], depth + 1).CopyTo(concat, 32 * i);
            return Keccak256.Hash(concat);
        }
        if (types.ContainsKey(type))
        {
            var members = value as IReadOnlyDictionary<string, object?> ?? (value as IDictionary<string, object?>)?.AsReadOnly()
                ?? throw new TypedDataException($"expected a struct value for {type}");
            return Keccak256.Hash(EncodeData(type, types, members, depth + 1));
        }
        try
        {
            switch (type)
            {
                case "string":
                    return Keccak256.Hash(value as string ?? throw new TypedDataException("expected a string"));
                case "bytes":
                    return Keccak256.Hash(AbiValues.ToBytes(value));
            }
            var abiType = AbiType.Parse(type);
            if (abiType.Kind is AbiTypeKind.Bool && value is string s) value = s == "true" ? true : s == "false" ? false : value;
            if (abiType.Kind is AbiTypeKind.Array or AbiTypeKind.FixedArray or AbiTypeKind.Tuple)
                throw new TypedDataException($"unsupported EIP-712 type '{type}'");
            return AbiEncoder.EncodeValue(abiType, value);
        }
        catch (ChainException ex) when (ex is not TypedDataException)
        {
            throw new TypedDataException($"cannot encode {AbiValueFormatter.Format(value)} as {type}: {ex.Message}", ex);
        }
    }

    private static void CollectDependencies(string type, IReadOnlyDictionary<string, IReadOnlyList<TypedDataField>> types, SortedSet<string> found, int depth)
    {
        var baseType = type.Split('[')[0];
        if (!types.TryGetValue(baseType, out var fields) || !found.Add(baseType)) return;
        if (depth > MaxDepth) throw new TypedDataException("typed data nested too deeply");
        foreach (var f in fields) CollectDependencies(f.Type, types, found, depth + 1);
    }
}

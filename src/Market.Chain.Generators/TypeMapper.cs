using System;
using System.Collections.Generic;
using System.Linq;

namespace Market.Chain.Generators;

/// <summary>
/// Maps ABI types to C# types and writes the expressions that convert the decoder's values
/// (BigInteger, Address, bool, byte[], string, object?[]) into them. Tuples become struct classes
/// named after the Solidity struct (internalType "struct ILeaseTypes.Bid" → Bid), unless the
/// ContractStructMap build property maps the struct to a hand-written type.
/// </summary>
internal sealed class TypeMapper
{
    private const string BigInt = "global::System.Numerics.BigInteger";
    private readonly string _ns;
    private readonly IReadOnlyDictionary<string, string> _mapped;
    private int _lambda;

    public TypeMapper(string ns, IReadOnlyDictionary<string, string> mapped)
    {
        _ns = ns;
        _mapped = mapped;
    }

    /// <summary>Struct classes to emit: C# name → components.</summary>
    public Dictionary<string, List<Param>> Structs { get; } = new Dictionary<string, List<Param>>(StringComparer.Ordinal);

    public string CsType(Param p) => CsType(p.Type, p.InternalType, p.Components);

    public string CsType(string type, string? internalType, List<Param> components)
    {
        if (type.EndsWith("]", StringComparison.Ordinal))
        {
            var (elementType, elementInternal) = Element(type, internalType);
            return "global::System.Collections.Generic.List<" + CsType(elementType, elementInternal, components) + ">";
        }
        if (type == "tuple")
        {
            var name = StructName(internalType, components);
            if (_mapped.TryGetValue(name, out var mapped)) return "global::" + mapped;
            if (!Structs.ContainsKey(name)) Structs[name] = components;
            return _ns + "." + name;
        }
        if (type == "address") return "global::Market.Chain.Address";
        if (type == "bool") return "bool";
        if (type == "string") return "string";
        if (type.StartsWith("bytes", StringComparison.Ordinal)) return "byte[]";
        if (type.StartsWith("uint", StringComparison.Ordinal))
        {
            int bits = Bits(type, 4);
            return bits <= 8 ? "byte" : bits <= 16 ? "ushort" : bits <= 32 ? "uint" : bits <= 64 ? "ulong" : BigInt;
        }
        if (type.StartsWith("int", StringComparison.Ordinal))
        {
            int bits = Bits(type, 3);
            return bits <= 8 ? "sbyte" : bits <= 16 ? "short" : bits <= 32 ? "int" : bits <= 64 ? "long" : BigInt;
        }
        throw new FormatException("unsupported ABI type " + type);
    }

    /// <summary>C# expression converting the decoded value <paramref name="expr"/> (object?) to the mapped type.</summary>
    public string Decode(string expr, string type, string? internalType, List<Param> components)
    {
        if (type.EndsWith("]", StringComparison.Ordinal))
        {
            var (elementType, elementInternal) = Element(type, internalType);
            var v = "e" + (_lambda++);
            return "global::System.Linq.Enumerable.ToList(global::System.Linq.Enumerable.Select((object?[])" + expr + "!, " + v + " => " +
                   Decode(v, elementType, elementInternal, components) + "))";
        }
        var cs = CsType(type, internalType, components);
        if (type == "tuple") return cs + ".FromAbiValues((object?[])" + expr + "!)";
        if (cs == "byte" || cs == "ushort" || cs == "uint" || cs == "ulong" || cs == "sbyte" || cs == "short" || cs == "int" || cs == "long")
            return "(" + cs + ")(" + BigInt + ")" + expr + "!";
        return "(" + cs + ")" + expr + "!";
    }

    public string Decode(string expr, Param p) => Decode(expr, p.Type, p.InternalType, p.Components);

    /// <summary>An initializer that keeps non-nullable reference properties non-null.</summary>
    public static string Initializer(string csType) =>
        csType == "string" ? " = \"\";" :
        csType == "byte[]" ? " = global::System.Array.Empty<byte>();" :
        csType.StartsWith("global::System.Collections.Generic.List<", StringComparison.Ordinal) ? " = new();" :
        csType.StartsWith("global::", StringComparison.Ordinal) && csType != "global::Market.Chain.Address" && csType != BigInt ? " = default!;" : "";

    private static (string Type, string? Internal) Element(string type, string? internalType)
    {
        var t = type.Substring(0, type.LastIndexOf('['));
        string? it = internalType;
        if (it != null && it.EndsWith("]", StringComparison.Ordinal)) it = it.Substring(0, it.LastIndexOf('['));
        return (t, it);
    }

    private static string StructName(string? internalType, List<Param> components)
    {
        if (internalType != null && internalType.StartsWith("struct ", StringComparison.Ordinal))
        {
            var n = internalType.Substring(7);
            int dot = n.LastIndexOf('.');
            if (dot >= 0) n = n.Substring(dot + 1);
            int bracket = n.IndexOf('[');
            if (bracket >= 0) n = n.Substring(0, bracket);
            return Names.Pascal(n, "Tuple");
        }
        // Anonymous tuple: a stable name from its shape.
        var shape = string.Join(",", components.Select(c => c.Canonical));
        return "Tuple" + Fnv1a(shape).ToString("x8");
    }

    /// <summary>A hash that is the same in every compiler process (string.GetHashCode is randomized).</summary>
    private static uint Fnv1a(string s)
    {
        uint h = 2166136261;
        foreach (var c in s) h = (h ^ c) * 16777619;
        return h;
    }

    private static int Bits(string type, int prefix) => type.Length == prefix ? 256 : int.Parse(type.Substring(prefix));
}

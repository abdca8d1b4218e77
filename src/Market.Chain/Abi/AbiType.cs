namespace Market.Chain.Abi;

public enum AbiTypeKind { UInt, Int, Address, Bool, FixedBytes, Bytes, String, Array, FixedArray, Tuple }

/// <summary>
/// A Solidity ABI type. Parse with <see cref="Parse"/> ("uint256", "(address,bytes)[]",
/// "bytes32[3]"); tuples from JSON ABIs carry named components.
/// </summary>
public sealed class AbiType
{
    private AbiType(AbiTypeKind kind, int size = 0, AbiType? element = null, int length = 0, IReadOnlyList<AbiParameter>? components = null)
    {
        Kind = kind;
        Size = size;
        Element = element;
        Length = length;
        Components = components ?? [];
        IsDynamic = kind switch
        {
            AbiTypeKind.Bytes or AbiTypeKind.String or AbiTypeKind.Array => true,
            AbiTypeKind.FixedArray => element!.IsDynamic,
            AbiTypeKind.Tuple => Components.Any(c => c.Type.IsDynamic),
            _ => false,
        };
        CanonicalName = kind switch
        {
            AbiTypeKind.UInt => $"uint{size}",
            AbiTypeKind.Int => $"int{size}",
            AbiTypeKind.Address => "address",
            AbiTypeKind.Bool => "bool",
            AbiTypeKind.FixedBytes => $"bytes{size}",
            AbiTypeKind.Bytes => "bytes",
            AbiTypeKind.String => "string",
            AbiTypeKind.Array => element!.CanonicalName + "[]",
            AbiTypeKind.FixedArray => $"{element!.CanonicalName}[{length}]",
            _ => "(" + string.Join(",", Components.Select(c => c.Type.CanonicalName)) + ")",
        };
        HeadSize = IsDynamic ? 32 : kind switch
        {
            AbiTypeKind.FixedArray => element!.HeadSize * length,
            AbiTypeKind.Tuple => Components.Sum(c => c.Type.HeadSize),
            _ => 32,
        };
    }

    public AbiTypeKind Kind { get; }
    /// <summary>Bits for uintN/intN, bytes for bytesN.</summary>
    public int Size { get; }
    /// <summary>Element type of T[] and T[k].</summary>
    public AbiType? Element { get; }
    /// <summary>k of T[k].</summary>
    public int Length { get; }
    public IReadOnlyList<AbiParameter> Components { get; }
    public bool IsDynamic { get; }
    /// <summary>The form used in signatures, e.g. "(address,bytes)[]".</summary>
    public string CanonicalName { get; }
    /// <summary>Bytes this type takes in the head of an enclosing tuple.</summary>
    public int HeadSize { get; }

    public static AbiType UInt(int bits) => CheckBits(bits) ? new(AbiTypeKind.UInt, bits) : throw Bad($"uint{bits}");
    public static AbiType Int(int bits) => CheckBits(bits) ? new(AbiTypeKind.Int, bits) : throw Bad($"int{bits}");
    public static AbiType FixedBytes(int n) => n is >= 1 and <= 32 ? new(AbiTypeKind.FixedBytes, n) : throw Bad($"bytes{n}");
    public static AbiType Address { get; } = new(AbiTypeKind.Address, 160);
    public static AbiType Bool { get; } = new(AbiTypeKind.Bool);
    public static AbiType Bytes { get; } = new(AbiTypeKind.Bytes);
    public static AbiType String { get; } = new(AbiTypeKind.String);
    public static AbiType ArrayOf(AbiType element) => new(AbiTypeKind.Array, element: element);
    public static AbiType FixedArrayOf(AbiType element, int length) =>
        length >= 1 ? new(AbiTypeKind.FixedArray, element: element, length: length) : throw Bad($"{element.CanonicalName}[{length}]");
    public static AbiType Tuple(IReadOnlyList<AbiParameter> components) => new(AbiTypeKind.Tuple, components: components);
    public static AbiType Tuple(params AbiType[] types) => Tuple(types.Select(t => new AbiParameter("", t)).ToList());

    /// <summary>Parses a type such as "uint256", "(address,bytes)[]", "(uint8 kind, string name)[2]".</summary>
    public static AbiType Parse(string text) => AbiSignatureParser.ParseType(text);

    public override string ToString() => CanonicalName;

    private static bool CheckBits(int bits) => bits is >= 8 and <= 256 && bits % 8 == 0;
    private static AbiEncodingException Bad(string name) => new($"invalid ABI type {name}");
}

namespace Market.Chain.Rlp;

/// <summary>A decoded RLP item: either a byte string or a list of items.</summary>
public sealed class RlpItem
{
    private RlpItem(byte[]? bytes, IReadOnlyList<RlpItem>? items)
    {
        _bytes = bytes;
        _items = items;
    }

    private readonly byte[]? _bytes;
    private readonly IReadOnlyList<RlpItem>? _items;

    public static RlpItem String(byte[] bytes) => new(bytes, null);
    public static RlpItem List(IReadOnlyList<RlpItem> items) => new(null, items);

    public bool IsList => _items is not null;

    public byte[] Bytes => _bytes ?? throw new RlpException("expected an RLP string, found a list");

    public IReadOnlyList<RlpItem> Items => _items ?? throw new RlpException("expected an RLP list, found a string");

    /// <summary>The string as an unsigned integer; rejects leading zeros (non-canonical).</summary>
    public System.Numerics.BigInteger AsBigInteger(int maxBytes = 32)
    {
        var b = Bytes;
        if (b.Length > maxBytes) throw new RlpException($"integer longer than {maxBytes} bytes");
        if (b.Length > 0 && b[0] == 0) throw new RlpException("integer with a leading zero byte (non-canonical)");
        return BigEndian.ToBigInteger(b);
    }

    public ulong AsUInt64() => (ulong)AsBigInteger(8);
}

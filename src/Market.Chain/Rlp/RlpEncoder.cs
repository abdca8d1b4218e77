using System.Numerics;

namespace Market.Chain.Rlp;

/// <summary>Canonical RLP encoding (Ethereum yellow paper, appendix B).</summary>
public static class RlpEncoder
{
    public static byte[] EncodeBytes(ReadOnlySpan<byte> value)
    {
        if (value.Length == 1 && value[0] < 0x80) return [value[0]];
        var result = new byte[HeaderLength(value.Length) + value.Length];
        int h = WriteHeader(result, 0x80, value.Length);
        value.CopyTo(result.AsSpan(h));
        return result;
    }

    /// <summary>An unsigned integer: big-endian without leading zeros; zero is the empty string 0x80.</summary>
    public static byte[] EncodeInteger(BigInteger value) => EncodeBytes(BigEndian.ToMinimalBytes(value));

    public static byte[] EncodeString(string utf8) => EncodeBytes(System.Text.Encoding.UTF8.GetBytes(utf8));

    /// <summary>Wraps already-encoded items into a list.</summary>
    public static byte[] EncodeList(params byte[][] encodedItems) => EncodeList((IReadOnlyList<byte[]>)encodedItems);

    public static byte[] EncodeList(IReadOnlyList<byte[]> encodedItems)
    {
        int payload = 0;
        foreach (var item in encodedItems) payload += item.Length;
        var result = new byte[HeaderLength(payload) + payload];
        int offset = WriteHeader(result, 0xc0, payload);
        foreach (var item in encodedItems)
        {
            item.CopyTo(result, offset);
            offset += item.Length;
        }
        return result;
    }

    /// <summary>Encodes an <see cref="RlpItem"/> tree.</summary>
    public static byte[] Encode(RlpItem item)
    {
        if (!item.IsList) return EncodeBytes(item.Bytes);
        var parts = new byte[item.Items.Count][];
        for (int i = 0; i < parts.Length; i++) parts[i] = Encode(item.Items[i]);
        return EncodeList(parts);
    }

    private static int HeaderLength(int length) => length < 56 ? 1 : 1 + ByteCount(length);

    private static int WriteHeader(byte[] target, byte offset, int length)
    {
        if (length < 56)
        {
            target[0] = (byte)(offset + length);
            return 1;
        }
        int n = ByteCount(length);
        target[0] = (byte)(offset + 55 + n);
        for (int i = 0; i < n; i++) target[n - i] = (byte)(length >> (8 * i));
        return 1 + n;
    }

    private static int ByteCount(int length) => length < 0x100 ? 1 : length < 0x10000 ? 2 : length < 0x1000000 ? 3 : 4;
}

namespace Market.Chain.Rlp;

/// <summary>
/// Strict RLP decoding: every length must be exact and canonical (single bytes below 0x80 not
/// wrapped, short forms used when they fit, no leading zeros in long lengths), no trailing bytes.
/// </summary>
public static class RlpDecoder
{
    private const int MaxDepth = 64;

    public static RlpItem Decode(ReadOnlySpan<byte> data)
    {
        int consumed = DecodeAt(data, 0, out var item, 0);
        if (consumed != data.Length) throw new RlpException($"{data.Length - consumed} trailing bytes after the RLP item");
        return item;
    }

    private static int DecodeAt(ReadOnlySpan<byte> data, int pos, out RlpItem item, int depth)
    {
        if (depth > MaxDepth) throw new RlpException("RLP nested too deeply");
        if (pos >= data.Length) throw new RlpException("RLP data truncated: expected an item");
        byte prefix = data[pos];
        if (prefix < 0x80)
        {
            item = RlpItem.String([prefix]);
            return 1;
        }
        if (prefix < 0xc0)
        {
            var (headerLen, length) = ReadLength(data, pos, 0x80);
            var body = Slice(data, pos + headerLen, length);
            if (length == 1 && headerLen == 1 && body[0] < 0x80)
                throw new RlpException("single byte below 0x80 must not carry a string header (non-canonical)");
            item = RlpItem.String(body.ToArray());
            return headerLen + length;
        }
        {
            var (headerLen, length) = ReadLength(data, pos, 0xc0);
            Slice(data, pos + headerLen, length);
            var items = new List<RlpItem>();
            int p = pos + headerLen, end = p + length;
            while (p < end)
            {
                int n = DecodeAt(data[..end], p, out var child, depth + 1);
                items.Add(child);
                p += n;
            }
            item = RlpItem.List(items);
            return headerLen + length;
        }
    }

    private static (int HeaderLength, int Length) ReadLength(ReadOnlySpan<byte> data, int pos, int offset)
    {
        int prefix = data[pos] - offset;
        if (prefix <= 55) return (1, prefix);
        int n = prefix - 55;
        if (pos + 1 + n > data.Length) throw new RlpException("RLP data truncated inside a length");
        if (data[pos + 1] == 0) throw new RlpException("RLP length with a leading zero byte (non-canonical)");
        if (n > 4) throw new RlpException("RLP length too large");
        long length = 0;
        for (int i = 0; i < n; i++) length = (length << 8) | data[pos + 1 + i];
        if (length < 56) throw new RlpException("RLP long form used for a length below 56 (non-canonical)");
        if (length > int.MaxValue) throw new RlpException("RLP length too large");
        return (1 + n, (int)length);
    }

    private static ReadOnlySpan<byte> Slice(ReadOnlySpan<byte> data, int start, int length)
    {
        if ((long)start + length > data.Length) throw new RlpException($"RLP data truncated: item needs {length} bytes, {Math.Max(0, data.Length - start)} left");
        return data.Slice(start, length);
    }
}

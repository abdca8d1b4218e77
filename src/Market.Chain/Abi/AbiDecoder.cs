using System.Numerics;

namespace Market.Chain.Abi;

/// <summary>
/// Strict ABI decoding. Values come back as BigInteger (uintN/intN), <see cref="Address"/>, bool,
/// byte[] (bytesN, bytes), string, and object?[] (arrays and tuples). Data too short, offsets or
/// lengths pointing outside the data, and values outside their type's range throw
/// <see cref="AbiDecodingException"/>.
/// </summary>
public static class AbiDecoder
{
    public static object?[] Decode(IReadOnlyList<AbiType> types, ReadOnlySpan<byte> data)
    {
        var result = new object?[types.Count];
        DecodeSequence(types, data, 0, data.Length, result);
        return result;
    }

    public static object?[] Decode(IReadOnlyList<AbiParameter> parameters, ReadOnlySpan<byte> data) =>
        Decode(parameters.Select(p => p.Type).ToList(), data);

    public static object?[] Decode(string[] types, ReadOnlySpan<byte> data) => Decode(types.Select(AbiType.Parse).ToList(), data);

    public static object? DecodeValue(AbiType type, ReadOnlySpan<byte> data) => Decode([type], data)[0];

    /// <summary>Decodes a sequence whose head starts at <paramref name="start"/>; offsets are relative to it.</summary>
    private static void DecodeSequence(IReadOnlyList<AbiType> types, ReadOnlySpan<byte> data, int start, int end, object?[] into)
    {
        int head = start;
        for (int i = 0; i < types.Count; i++)
        {
            var t = types[i];
            if (t.IsDynamic)
            {
                var offset = ReadWord(data, head, end);
                if (offset > end - start) throw new AbiDecodingException($"offset {offset} points outside the data ({end - start} bytes)");
                into[i] = DecodeAt(t, data, start + (int)offset, end);
            }
            else into[i] = DecodeAt(t, data, head, end);
            head += t.HeadSize;
        }
    }

    private static object? DecodeAt(AbiType type, ReadOnlySpan<byte> data, int pos, int end)
    {
        switch (type.Kind)
        {
            case AbiTypeKind.UInt:
            {
                var v = ReadWord(data, pos, end);
                if (v.GetBitLength() > type.Size) throw new AbiDecodingException($"value does not fit {type.CanonicalName}");
                return v;
            }
            case AbiTypeKind.Int:
            {
                var v = ReadWord(data, pos, end);
                if (v >= BigInteger.One << 255) v -= BigInteger.One << 256;
                var limit = BigInteger.One << (type.Size - 1);
                if (v < -limit || v >= limit) throw new AbiDecodingException($"value does not fit {type.CanonicalName}");
                return v;
            }
            case AbiTypeKind.Address:
            {
                var word = Slice(data, pos, 32, end);
                if (word[..12].IndexOfAnyExcept((byte)0) >= 0) throw new AbiDecodingException("address word has non-zero high bytes");
                return new Address(word[12..]);
            }
            case AbiTypeKind.Bool:
            {
                var v = ReadWord(data, pos, end);
                if (v > 1) throw new AbiDecodingException($"bool word is {v}, not 0 or 1");
                return v == 1;
            }
            case AbiTypeKind.FixedBytes:
                return Slice(data, pos, 32, end)[..type.Size].ToArray();
            case AbiTypeKind.Bytes:
            case AbiTypeKind.String:
            {
                var length = ReadWord(data, pos, end);
                if (length > end - pos - 32) throw new AbiDecodingException($"length {length} runs past the end of the data");
                var bytes = Slice(data, pos + 32, (int)length, end);
                if (type.Kind == AbiTypeKind.Bytes) return bytes.ToArray();
                try { return new System.Text.UTF8Encoding(false, true).GetString(bytes); }
                catch (ArgumentException ex) { throw new AbiDecodingException("string is not valid UTF-8", ex); }
            }
            case AbiTypeKind.Array:
            {
                var length = ReadWord(data, pos, end);
                var element = type.Element!;
                // Every element needs at least its head in the data: bounds the allocation below.
                if (length * element.HeadSize > end - pos - 32) throw new AbiDecodingException($"array length {length} runs past the end of the data");
                var items = new object?[(int)length];
                DecodeSequence(Repeat(element, items.Length), data, pos + 32, end, items);
                return items;
            }
            case AbiTypeKind.FixedArray:
            {
                var items = new object?[type.Length];
                DecodeSequence(Repeat(type.Element!, type.Length), data, pos, end, items);
                return items;
            }
            default:
            {
                var items = new object?[type.Components.Count];
                DecodeSequence(type.Components.Select(c => c.Type).ToList(), data, pos, end, items);
                return items;
            }
        }
    }

    private static BigInteger ReadWord(ReadOnlySpan<byte> data, int pos, int end) => BigEndian.ToBigInteger(Slice(data, pos, 32, end));

    private static ReadOnlySpan<byte> Slice(ReadOnlySpan<byte> data, int pos, int length, int end)
    {
        if (pos < 0 || length < 0 || (long)pos + length > end)
            throw new AbiDecodingException($"data too short: need {length} bytes at {pos}, have {Math.Max(0, end - pos)}");
        return data.Slice(pos, length);
    }

    private static AbiType[] Repeat(AbiType t, int n)
    {
        var result = new AbiType[n];
        Array.Fill(result, t);
        return result;
    }
}

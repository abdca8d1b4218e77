using System.Numerics;

namespace Market.Chain;

/// <summary>Unsigned big-endian helpers for 256-bit words.</summary>
public static class BigEndian
{
    /// <summary>Unsigned big-endian, no leading zeros (empty for zero) — the RLP form.</summary>
    public static byte[] ToMinimalBytes(BigInteger value)
    {
        if (value.Sign < 0) throw new ArgumentOutOfRangeException(nameof(value), "negative");
        return value.IsZero ? [] : value.ToByteArray(isUnsigned: true, isBigEndian: true);
    }

    /// <summary>Unsigned value left-padded to <paramref name="size"/> bytes.</summary>
    public static byte[] ToPadded(BigInteger value, int size = 32)
    {
        var raw = ToMinimalBytes(value);
        if (raw.Length > size) throw new ArgumentOutOfRangeException(nameof(value), $"does not fit {size} bytes");
        var result = new byte[size];
        raw.CopyTo(result, size - raw.Length);
        return result;
    }

    public static BigInteger ToBigInteger(ReadOnlySpan<byte> bytes) => new(bytes, isUnsigned: true, isBigEndian: true);
}

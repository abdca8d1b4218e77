using System.Globalization;
using System.Numerics;

namespace Market.Chain;

/// <summary>
/// Strict hex: an optional "0x" prefix, then an even number of hex digits (either case). Quantities
/// (JSON-RPC numbers) are "0x" plus digits with no leading zeros, "0x0" for zero.
/// </summary>
public static class Hex
{
    public static byte[] Decode(string? text)
    {
        if (text is null) throw new HexFormatException("hex text is null");
        var s = text.AsSpan();
        if (s.Length >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) s = s[2..];
        if ((s.Length & 1) != 0) throw new HexFormatException($"hex text has an odd number of digits: \"{Shorten(text)}\"");
        var result = new byte[s.Length / 2];
        for (int i = 0; i < result.Length; i++)
        {
            int hi = Nibble(s[2 * i]), lo = Nibble(s[2 * i + 1]);
            if ((hi | lo) < 0) throw new HexFormatException($"not a hex digit at position {2 * i + (hi < 0 ? 0 : 1)}: \"{Shorten(text)}\"");
            result[i] = (byte)((hi << 4) | lo);
        }
        return result;
    }

    /// <summary>Decodes and checks the byte length (e.g. 32 for a hash, 20 for an address).</summary>
    public static byte[] Decode(string? text, int expectedLength)
    {
        var b = Decode(text);
        if (b.Length != expectedLength) throw new HexFormatException($"expected {expectedLength} bytes, got {b.Length}");
        return b;
    }

    public static string Encode(ReadOnlySpan<byte> bytes, bool prefix = true)
    {
        var hex = Convert.ToHexStringLower(bytes);
        return prefix ? "0x" + hex : hex;
    }

    public static bool IsHex(string? text)
    {
        if (text is null || !text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) || (text.Length & 1) != 0) return false;
        for (int i = 2; i < text.Length; i++) if (Nibble(text[i]) < 0) return false;
        return true;
    }

    /// <summary>Parses a JSON-RPC quantity ("0x1a"); leading zeros are tolerated on input.</summary>
    public static BigInteger DecodeQuantity(string? text)
    {
        if (text is null || text.Length < 3 || text[0] != '0' || (text[1] != 'x' && text[1] != 'X'))
            throw new HexFormatException($"not a hex quantity: \"{Shorten(text ?? "null")}\"");
        for (int i = 2; i < text.Length; i++)
            if (Nibble(text[i]) < 0) throw new HexFormatException($"not a hex quantity: \"{Shorten(text)}\"");
        return BigInteger.Parse("0" + text[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
    }

    public static ulong DecodeQuantityUInt64(string? text)
    {
        var v = DecodeQuantity(text);
        if (v > ulong.MaxValue) throw new HexFormatException($"quantity {text} does not fit 64 bits");
        return (ulong)v;
    }

    public static string EncodeQuantity(BigInteger value)
    {
        if (value.Sign < 0) throw new HexFormatException("a quantity cannot be negative");
        if (value.IsZero) return "0x0";
        return "0x" + Convert.ToHexStringLower(value.ToByteArray(isUnsigned: true, isBigEndian: true)).TrimStart('0');
    }

    private static int Nibble(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    private static string Shorten(string s) => s.Length <= 24 ? s : s[..24] + "…";
}

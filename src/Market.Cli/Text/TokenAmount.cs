using System.Globalization;
using System.Numerics;
using Market.Cli.Cli;

namespace Market.Cli.Text;

/// <summary>
/// Token amounts as people write them ("12.5" whole tokens) and as the chain keeps them (base
/// units). Exact: decimal strings are parsed digit by digit, never through floating point.
/// </summary>
internal static class TokenAmount
{
    /// <summary>"12.5" with 6 decimals → 12500000. More fractional digits than the token has is an error, not a rounding.</summary>
    public static BigInteger Parse(string text, int decimals, bool baseUnits = false)
    {
        var s = text.Trim();
        if (baseUnits)
            return s.Length > 0 && s.All(char.IsAsciiDigit) ? Positive(BigInteger.Parse(s, CultureInfo.InvariantCulture), text)
                : throw CliException.Usage($"amount '{text}' must be a whole number of base units");
        int dot = s.IndexOf('.');
        string whole = dot < 0 ? s : s[..dot], frac = dot < 0 ? "" : s[(dot + 1)..];
        if ((whole.Length == 0 && frac.Length == 0) || !whole.All(char.IsAsciiDigit) || !frac.All(char.IsAsciiDigit) || (dot >= 0 && frac.Length == 0))
            throw CliException.Usage($"amount '{text}' must be a number like 12 or 12.5");
        if (frac.Length > decimals)
            throw CliException.Usage($"amount '{text}' has more than the token's {decimals} decimals");
        var units = BigInteger.Parse((whole.Length == 0 ? "0" : whole) + frac.PadRight(decimals, '0'), CultureInfo.InvariantCulture);
        return Positive(units, text);
    }

    /// <summary>12500000 with 6 decimals → "12.5"; no trailing zeros, no exponent.</summary>
    public static string Format(BigInteger units, int decimals)
    {
        var sign = units.Sign < 0 ? "-" : "";
        var digits = BigInteger.Abs(units).ToString(CultureInfo.InvariantCulture).PadLeft(decimals + 1, '0');
        var whole = digits[..^decimals];
        var frac = digits[^decimals..].TrimEnd('0');
        return decimals == 0 ? sign + digits : sign + whole + (frac.Length > 0 ? "." + frac : "");
    }

    private static BigInteger Positive(BigInteger v, string text) =>
        v > 0 ? v : throw CliException.Usage($"amount '{text}' must be positive");
}

using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Market.Chain.Json;

/// <summary>
/// Canonical JSON, a subset of RFC 8785 (JCS): object members sorted by their names' UTF-16 code
/// units, no whitespace, strings escaped as JSON.stringify does (\" \\ \b \f \n \r \t, other
/// controls as \u00xx, everything else literal UTF-8), duplicate names rejected. Numbers must be
/// integers of magnitude ≤ 2^53 − 1 (written as plain digits); put fractions or bigger numbers in
/// strings. The result equals JCS for every input this accepts.
/// </summary>
public static class CanonicalJson
{
    private const long MaxSafeInteger = 9007199254740991;

    public static string Canonicalize(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            return Serialize(doc.RootElement);
        }
        catch (JsonException ex) { throw new ChainException($"not valid JSON: {ex.Message}", ex); }
    }

    public static string Serialize<T>(T value, JsonSerializerOptions? options = null) =>
        Serialize(JsonSerializer.SerializeToElement(value, options));

    public static string Serialize(JsonElement element)
    {
        var sb = new StringBuilder();
        Write(sb, element, 0);
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, JsonElement e, int depth)
    {
        if (depth > 128) throw new ChainException("JSON nested too deeply");
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                var members = e.EnumerateObject().Select(p => (p.Name, p.Value)).ToList();
                members.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
                sb.Append('{');
                for (int i = 0; i < members.Count; i++)
                {
                    if (i > 0 && members[i].Name == members[i - 1].Name) throw new ChainException($"duplicate JSON member \"{members[i].Name}\"");
                    if (i > 0) sb.Append(',');
                    WriteString(sb, members[i].Name);
                    sb.Append(':');
                    Write(sb, members[i].Value, depth + 1);
                }
                sb.Append('}');
                break;
            case JsonValueKind.Array:
                sb.Append('[');
                bool first = true;
                foreach (var item in e.EnumerateArray())
                {
                    if (!first) sb.Append(',');
                    first = false;
                    Write(sb, item, depth + 1);
                }
                sb.Append(']');
                break;
            case JsonValueKind.String: WriteString(sb, e.GetString()!); break;
            case JsonValueKind.Number:
                if (!e.TryGetInt64(out var n) && !TryIntegral(e, out n) || Math.Abs(n) > MaxSafeInteger)
                    throw new ChainException($"canonical JSON allows only integers up to 2^53-1; got {e.GetRawText()} (use a string)");
                sb.Append(n.ToString(CultureInfo.InvariantCulture));
                break;
            case JsonValueKind.True: sb.Append("true"); break;
            case JsonValueKind.False: sb.Append("false"); break;
            default: sb.Append("null"); break;
        }
    }

    /// <summary>Accepts "1.0" or "1e3" when the value is an exact integer (JCS writes it as digits).</summary>
    private static bool TryIntegral(JsonElement e, out long n)
    {
        n = 0;
        if (!e.TryGetDouble(out var d) || Math.Floor(d) != d || Math.Abs(d) > MaxSafeInteger) return false;
        n = (long)d;
        return true;
    }

    private static void WriteString(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c < 0x20) sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else sb.Append(c);
                    break;
            }
        }
        sb.Append('"');
    }
}

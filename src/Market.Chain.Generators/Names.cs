using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace Market.Chain.Generators;

internal static class Names
{
    private static readonly HashSet<string> Keywords = new HashSet<string>(StringComparer.Ordinal)
    {
        "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class", "const", "continue",
        "decimal", "default", "delegate", "do", "double", "else", "enum", "event", "explicit", "extern", "false", "finally",
        "fixed", "float", "for", "foreach", "goto", "if", "implicit", "in", "int", "interface", "internal", "is", "lock",
        "long", "namespace", "new", "null", "object", "operator", "out", "override", "params", "private", "protected",
        "public", "readonly", "ref", "return", "sbyte", "sealed", "short", "sizeof", "stackalloc", "static", "string",
        "struct", "switch", "this", "throw", "true", "try", "typeof", "uint", "ulong", "unchecked", "unsafe", "ushort",
        "using", "virtual", "void", "volatile", "while",
    };

    /// <summary>"feeBps_" → "FeeBps", "_x" → "X", "" → fallback.</summary>
    public static string Pascal(string name, string fallback)
    {
        var trimmed = name.Trim('_', '$');
        if (trimmed.Length == 0) return fallback;
        var sb = new StringBuilder();
        foreach (var c in trimmed) if (char.IsLetterOrDigit(c) || c == '_') sb.Append(c);
        if (sb.Length == 0) return fallback;
        sb[0] = char.ToUpperInvariant(sb[0]);
        if (char.IsDigit(sb[0])) sb.Insert(0, '_');
        return sb.ToString();
    }

    /// <summary>A parameter name: camelCase, keywords escaped with @.</summary>
    public static string Camel(string pascal)
    {
        var s = pascal.TrimStart('_');
        s = s.Length == 0 ? "value" : char.ToLowerInvariant(s[0]) + s.Substring(1);
        return Keywords.Contains(s) ? "@" + s : s;
    }

    /// <summary>Pascal names for a parameter list, unique and clear of <paramref name="reserved"/>.</summary>
    public static List<string> Properties(IReadOnlyList<Param> ps, string fallbackPrefix, ICollection<string> reserved, string enclosingType)
    {
        var result = new List<string>();
        for (int i = 0; i < ps.Count; i++)
        {
            var n = Pascal(ps[i].Name, fallbackPrefix + (i + 1));
            if (reserved.Contains(n) || n == enclosingType) n += "Value";
            while (result.Contains(n)) n += (i + 1).ToString();
            result.Add(n);
        }
        return result;
    }

    public static string Verbatim(string s) => "@\"" + s.Replace("\"", "\"\"") + "\"";

    public static string Literal(string s) => "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}

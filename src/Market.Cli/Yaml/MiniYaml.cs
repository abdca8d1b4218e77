using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Market.Cli.Yaml;

/// <summary>A YAML error with the 1-based line it is on.</summary>
internal sealed class YamlException(int line, string message) : Exception($"line {line}: {message}")
{
    public int Line { get; } = line;
}

/// <summary>
/// The YAML a job spec needs, as JSON: block maps and sequences (including "- key: value" items),
/// plain, 'single' and "double" quoted scalars, flow sequences ["sh", "-c"], {} and [], literal
/// blocks (| and |-), comments. Plain integers, true/false and null/~ are typed; everything else is
/// a string. Anchors, tags, multi-documents and floats are refused rather than guessed.
/// </summary>
internal static class MiniYaml
{
    private sealed record Line(int Number, int Indent, string Text);

    public static JsonNode? Parse(string text)
    {
        var raw = text.Replace("\r\n", "\n").Split('\n');
        var lines = new List<Line>();
        for (int i = 0; i < raw.Length; i++)
        {
            var l = raw[i];
            int indent = 0;
            while (indent < l.Length && l[indent] == ' ') indent++;
            if (indent < l.Length && l[indent] == '\t') throw new YamlException(i + 1, "tabs are not allowed for indentation");
            var content = l[indent..].TrimEnd();
            if (content == "---" && lines.Count == 0) continue;
            if (content is "---" or "...") throw new YamlException(i + 1, "only one document is supported");
            lines.Add(new Line(i + 1, indent, content));
        }
        var p = new Parser(lines);
        p.SkipBlank();
        if (p.AtEnd) return null;
        var node = p.Block(p.Current.Indent);
        p.SkipBlank();
        if (!p.AtEnd) throw new YamlException(p.Current.Number, "unexpected indentation");
        return node;
    }

    private sealed class Parser(List<Line> lines)
    {
        private int _i;
        public bool AtEnd => _i >= lines.Count;
        public Line Current => lines[_i];

        public void SkipBlank()
        {
            while (!AtEnd && (Current.Text.Length == 0 || Current.Text.StartsWith('#'))) _i++;
        }

        public JsonNode? Block(int indent) => IsItem(Current.Text) ? Sequence(indent) : Map(indent);

        private static bool IsItem(string t) => t == "-" || t.StartsWith("- ", StringComparison.Ordinal);

        private JsonArray Sequence(int indent)
        {
            var array = new JsonArray();
            while (true)
            {
                SkipBlank();
                if (AtEnd || Current.Indent < indent) return array;
                var line = Current;
                if (line.Indent > indent) throw new YamlException(line.Number, "unexpected indentation in a list");
                if (!IsItem(line.Text)) return array;
                var rest = line.Text.Length == 1 ? "" : line.Text[2..].TrimStart();
                if (rest.Length == 0 || rest.StartsWith('#'))
                {
                    _i++;
                    array.Add(Nested(indent, line.Number));
                }
                else if (IsItem(rest) || KeyOf(rest, line.Number) is not null)
                {
                    // "- key: value" or "- - x": the item is a block that starts where its text starts.
                    lines[_i] = new Line(line.Number, line.Text.Length - rest.Length + line.Indent, rest);
                    array.Add(Block(lines[_i].Indent));
                }
                else
                {
                    _i++;
                    array.Add(Scalar(rest, line.Number));
                }
            }
        }

        private JsonObject Map(int indent)
        {
            var map = new JsonObject();
            while (true)
            {
                SkipBlank();
                if (AtEnd || Current.Indent < indent) return map;
                var line = Current;
                if (line.Indent > indent) throw new YamlException(line.Number, "unexpected indentation in a map");
                if (IsItem(line.Text)) return map;
                var (key, value) = KeyOf(line.Text, line.Number) ?? throw new YamlException(line.Number, "expected 'key: value'");
                if (map.ContainsKey(key)) throw new YamlException(line.Number, $"duplicate key '{key}'");
                _i++;
                map[key] = value.Length == 0 || value.StartsWith('#') ? Nested(indent, line.Number, allowSameIndentList: true)
                    : value is "|" or "|-" ? Literal(indent, value == "|-")
                    : Scalar(value, line.Number);
            }
        }

        /// <summary>The block under a key or "-" with nothing after it; null when there is none.</summary>
        private JsonNode? Nested(int indent, int number, bool allowSameIndentList = false)
        {
            SkipBlank();
            if (AtEnd) return null;
            if (Current.Indent > indent) return Block(Current.Indent);
            if (allowSameIndentList && Current.Indent == indent && IsItem(Current.Text)) return Sequence(indent);
            return null;
        }

        private JsonValue Literal(int indent, bool strip)
        {
            var text = new StringBuilder();
            int? blockIndent = null;
            while (!AtEnd)
            {
                var l = Current;
                if (l.Text.Length > 0 && l.Indent <= indent) break;
                blockIndent ??= l.Text.Length > 0 ? l.Indent : null;
                text.Append(l.Text.Length == 0 ? "" : new string(' ', l.Indent - (blockIndent ?? l.Indent)) + l.Text).Append('\n');
                _i++;
            }
            var s = text.ToString().TrimEnd('\n');
            return JsonValue.Create(strip || s.Length == 0 ? s : s + "\n");
        }

        /// <summary>Splits "key: value" (the key plain or quoted); null when the text is not a map entry.</summary>
        public static (string Key, string Value)? KeyOf(string t, int number)
        {
            if (t.StartsWith('"') || t.StartsWith('\''))
            {
                int end = QuotedEnd(t, number);
                var rest = t[(end + 1)..];
                if (rest != ":" && !rest.StartsWith(": ", StringComparison.Ordinal)) return null;
                return (((JsonValue)Scalar(t[..(end + 1)], number)!).GetValue<string>(), rest[1..].Trim());
            }
            if (t.StartsWith('[') || t.StartsWith('{')) return null;
            int i = t.IndexOf(": ", StringComparison.Ordinal);
            if (i < 0 && t.EndsWith(':')) i = t.Length - 1;
            if (i <= 0) return null;
            var key = t[..i].Trim();
            return key.Contains(" #") ? null : (key, t[(i + 1)..].Trim());
        }

        private static int QuotedEnd(string t, int number)
        {
            char q = t[0];
            for (int i = 1; i < t.Length; i++)
            {
                if (q == '"' && t[i] == '\\') { i++; continue; }
                if (t[i] != q) continue;
                if (q == '\'' && i + 1 < t.Length && t[i + 1] == '\'') { i++; continue; }
                return i;
            }
            throw new YamlException(number, "unterminated quoted string");
        }

        public static JsonNode? Scalar(string t, int number)
        {
            if (t.StartsWith('"') || t.StartsWith('\''))
            {
                int end = QuotedEnd(t, number);
                var after = t[(end + 1)..].Trim();
                if (after.Length > 0 && !after.StartsWith('#')) throw new YamlException(number, "text after a quoted string");
                return JsonValue.Create(t[0] == '"' ? Unescape(t[1..end], number) : t[1..end].Replace("''", "'"));
            }
            var plain = StripComment(t);
            if (plain.StartsWith('[')) return Flow(plain, number);
            if (plain == "{}") return new JsonObject();
            if (plain.StartsWith('{')) throw new YamlException(number, "flow maps are not supported; use an indented block");
            if (plain.Length > 0 && "&*!|>%@`".Contains(plain[0])) throw new YamlException(number, $"'{plain[0]}' (anchors, tags, folded text) is not supported");
            return plain switch
            {
                "null" or "~" or "" => null,
                "true" => JsonValue.Create(true),
                "false" => JsonValue.Create(false),
                _ when long.TryParse(plain, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && !plain.StartsWith('+') => JsonValue.Create(n),
                _ when double.TryParse(plain, NumberStyles.Float, CultureInfo.InvariantCulture, out _) && plain.Any(char.IsAsciiDigit) && !plain.Contains(':')
                    => throw new YamlException(number, $"'{plain}': only integers are allowed (quote it to make it a string)"),
                _ => JsonValue.Create(plain),
            };
        }

        private static string StripComment(string t)
        {
            int i = t.IndexOf(" #", StringComparison.Ordinal);
            return (i < 0 ? t : t[..i]).Trim();
        }

        private static JsonArray Flow(string t, int number)
        {
            if (!t.EndsWith(']')) throw new YamlException(number, "a flow list must end with ] on the same line");
            var array = new JsonArray();
            var inner = t[1..^1].Trim();
            int i = 0;
            while (i < inner.Length)
            {
                int start = i;
                if (inner[i] is '"' or '\'') i = start + QuotedEnd(inner[start..], number) + 1;
                else while (i < inner.Length && inner[i] != ',') i++;
                var item = inner[start..i].Trim();
                if (item.StartsWith('[') || item.StartsWith('{')) throw new YamlException(number, "nested flow collections are not supported");
                array.Add(Scalar(item, number));
                while (i < inner.Length && inner[i] == ' ') i++;
                if (i < inner.Length && inner[i] != ',') throw new YamlException(number, "expected , between list items");
                i++;
                while (i < inner.Length && inner[i] == ' ') i++;
            }
            return array;
        }

        private static string Unescape(string s, int number)
        {
            var b = new StringBuilder(s.Length);
            for (int i = 0; i < s.Length; i++)
            {
                if (s[i] != '\\') { b.Append(s[i]); continue; }
                if (++i >= s.Length) throw new YamlException(number, "dangling \\ in a quoted string");
                switch (s[i])
                {
                    case 'n': b.Append('\n'); break;
                    case 't': b.Append('\t'); break;
                    case 'r': b.Append('\r'); break;
                    case '0': b.Append('\0'); break;
                    case '"': b.Append('"'); break;
                    case '\\': b.Append('\\'); break;
                    case '/': b.Append('/'); break;
                    case 'u' when i + 4 < s.Length && int.TryParse(s.AsSpan(i + 1, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var cp):
                        b.Append((char)cp); i += 4; break;
                    default: throw new YamlException(number, $"unknown escape \\{s[i]}");
                }
            }
            return b.ToString();
        }
    }
}

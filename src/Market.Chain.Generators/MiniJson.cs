using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Market.Chain.Generators;

/// <summary>
/// A small JSON reader/writer: generators run on netstandard2.0 inside the compiler, where
/// System.Text.Json is not guaranteed to load. Objects are Dictionary&lt;string, object?&gt; (ordered
/// by a side list), arrays List&lt;object?&gt;, numbers double, plus string, bool, null.
/// </summary>
internal sealed class MiniJson
{
    private readonly string _s;
    private int _p;

    private MiniJson(string s) { _s = s; }

    public static object? Parse(string text)
    {
        var r = new MiniJson(text);
        var v = r.Value();
        r.Ws();
        if (r._p != text.Length) throw r.Fail("trailing characters");
        return v;
    }

    public static string Write(object? v)
    {
        var sb = new StringBuilder();
        Write(sb, v);
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, object? v)
    {
        switch (v)
        {
            case null: sb.Append("null"); break;
            case bool b: sb.Append(b ? "true" : "false"); break;
            case double d: sb.Append(d.ToString("R", CultureInfo.InvariantCulture)); break;
            case string s:
                sb.Append('"');
                foreach (var c in s)
                {
                    if (c == '"' || c == '\\') sb.Append('\\').Append(c);
                    else if (c < 0x20) sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else sb.Append(c);
                }
                sb.Append('"');
                break;
            case JsonObject o:
                sb.Append('{');
                for (int i = 0; i < o.Keys.Count; i++)
                {
                    if (i > 0) sb.Append(',');
                    Write(sb, o.Keys[i]);
                    sb.Append(':');
                    Write(sb, o.Values[o.Keys[i]]);
                }
                sb.Append('}');
                break;
            case List<object?> a:
                sb.Append('[');
                for (int i = 0; i < a.Count; i++)
                {
                    if (i > 0) sb.Append(',');
                    Write(sb, a[i]);
                }
                sb.Append(']');
                break;
        }
    }

    private object? Value()
    {
        Ws();
        if (_p >= _s.Length) throw Fail("unexpected end");
        char c = _s[_p];
        if (c == '{') return Obj();
        if (c == '[') return Arr();
        if (c == '"') return Str();
        if (Take("true")) return true;
        if (Take("false")) return false;
        if (Take("null")) return null;
        int start = _p;
        while (_p < _s.Length && "+-0123456789.eE".IndexOf(_s[_p]) >= 0) _p++;
        if (start == _p) throw Fail("unexpected character");
        return double.Parse(_s.Substring(start, _p - start), CultureInfo.InvariantCulture);
    }

    private JsonObject Obj()
    {
        _p++;
        var o = new JsonObject();
        Ws();
        if (_s[_p] == '}') { _p++; return o; }
        while (true)
        {
            Ws();
            var k = Str();
            Ws();
            Expect(':');
            o.Add(k, Value());
            Ws();
            if (_s[_p] == ',') { _p++; continue; }
            Expect('}');
            return o;
        }
    }

    private List<object?> Arr()
    {
        _p++;
        var a = new List<object?>();
        Ws();
        if (_s[_p] == ']') { _p++; return a; }
        while (true)
        {
            a.Add(Value());
            Ws();
            if (_s[_p] == ',') { _p++; continue; }
            Expect(']');
            return a;
        }
    }

    private string Str()
    {
        Expect('"');
        var sb = new StringBuilder();
        while (true)
        {
            if (_p >= _s.Length) throw Fail("unterminated string");
            char c = _s[_p++];
            if (c == '"') return sb.ToString();
            if (c != '\\') { sb.Append(c); continue; }
            char e = _s[_p++];
            switch (e)
            {
                case 'n': sb.Append('\n'); break;
                case 't': sb.Append('\t'); break;
                case 'r': sb.Append('\r'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'u': sb.Append((char)int.Parse(_s.Substring(_p, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture)); _p += 4; break;
                default: sb.Append(e); break;
            }
        }
    }

    private bool Take(string word)
    {
        if (string.CompareOrdinal(_s, _p, word, 0, word.Length) != 0) return false;
        _p += word.Length;
        return true;
    }

    private void Expect(char c)
    {
        if (_p >= _s.Length || _s[_p] != c) throw Fail($"expected '{c}'");
        _p++;
    }

    private void Ws() { while (_p < _s.Length && char.IsWhiteSpace(_s[_p])) _p++; }

    private FormatException Fail(string why) => new FormatException($"JSON error at {_p}: {why}");
}

/// <summary>A JSON object that remembers member order.</summary>
internal sealed class JsonObject
{
    public List<string> Keys { get; } = new List<string>();
    public Dictionary<string, object?> Values { get; } = new Dictionary<string, object?>(StringComparer.Ordinal);

    public void Add(string key, object? value)
    {
        if (!Values.ContainsKey(key)) Keys.Add(key);
        Values[key] = value;
    }

    public object? this[string key] => Values.TryGetValue(key, out var v) ? v : null;

    public string? Str(string key) => this[key] as string;

    public List<object?> List(string key) => this[key] as List<object?> ?? new List<object?>();
}

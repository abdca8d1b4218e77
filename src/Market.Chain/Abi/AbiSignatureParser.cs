namespace Market.Chain.Abi;

/// <summary>
/// Parses human-readable ABI fragments: "function foo(uint256 a, (address,bytes)[] b) view returns (bool)",
/// "event Transfer(address indexed from, address indexed to, uint256 value)", "error Foo(uint256)",
/// "constructor(address)", and bare types.
/// </summary>
internal static class AbiSignatureParser
{
    private static readonly HashSet<string> Modifiers = ["view", "pure", "payable", "nonpayable", "external", "public", "virtual", "override", "anonymous"];

    public static AbiType ParseType(string text)
    {
        var p = new Cursor(text);
        var type = ParseTypeAt(ref p);
        p.SkipSpace();
        if (!p.End) throw p.Fail("unexpected text after the type");
        return type;
    }

    public static AbiFragment ParseFragment(string text)
    {
        var p = new Cursor(text.Trim());
        var kind = p.Word();
        string name = "";
        if (kind is "function" or "event" or "error") name = p.Word();
        else if (kind is not "constructor" and not "fallback" and not "receive")
        {
            // "foo(uint256)" without a keyword is a function.
            name = kind;
            kind = "function";
        }
        var inputs = ParseParameterList(ref p, kind == "event");
        var mutability = "nonpayable";
        bool anonymous = false;
        List<AbiParameter> outputs = [];
        while (true)
        {
            p.SkipSpace();
            if (p.End) break;
            var word = p.Word();
            if (word == "returns") { outputs = ParseParameterList(ref p, false); continue; }
            if (!Modifiers.Contains(word)) throw p.Fail($"unknown modifier '{word}'");
            if (word is "view" or "pure" or "payable" or "nonpayable") mutability = word;
            if (word == "anonymous") anonymous = true;
        }
        return new AbiFragment(kind, name, inputs, outputs, mutability, anonymous);
    }

    private static List<AbiParameter> ParseParameterList(ref Cursor p, bool allowIndexed)
    {
        p.SkipSpace();
        p.Expect('(');
        var result = new List<AbiParameter>();
        p.SkipSpace();
        if (p.TryTake(')')) return result;
        while (true)
        {
            var type = ParseTypeAt(ref p);
            bool indexed = false;
            string name = "";
            while (true)
            {
                p.SkipSpace();
                if (p.Peek is ',' or ')') break;
                var word = p.Word();
                if (word == "indexed" && allowIndexed) indexed = true;
                else if (word is "memory" or "calldata" or "storage" or "payable") { }
                else if (name.Length == 0) name = word;
                else throw p.Fail($"unexpected word '{word}'");
            }
            result.Add(new AbiParameter(name, type, indexed));
            if (p.TryTake(')')) return result;
            p.Expect(',');
        }
    }

    private static AbiType ParseTypeAt(ref Cursor p)
    {
        p.SkipSpace();
        AbiType type;
        if (p.Peek == '(' || p.StartsWithWord("tuple("))
        {
            if (p.Peek == 't') p.Advance(5);
            type = AbiType.Tuple(ParseParameterList(ref p, false));
        }
        else type = Elementary(p.Word(), p);
        while (p.Peek == '[')
        {
            p.Advance(1);
            if (p.TryTake(']')) { type = AbiType.ArrayOf(type); continue; }
            var digits = p.Digits();
            p.Expect(']');
            if (!int.TryParse(digits, out var n) || n < 1 || n > 1_000_000) throw p.Fail($"bad array length [{digits}]");
            type = AbiType.FixedArrayOf(type, n);
        }
        return type;
    }

    private static AbiType Elementary(string word, Cursor p)
    {
        switch (word)
        {
            case "address": return AbiType.Address;
            case "bool": return AbiType.Bool;
            case "string": return AbiType.String;
            case "bytes": return AbiType.Bytes;
            case "uint": return AbiType.UInt(256);
            case "int": return AbiType.Int(256);
            case "function": return AbiType.FixedBytes(24);
        }
        if (word.StartsWith("uint", StringComparison.Ordinal) && int.TryParse(word.AsSpan(4), out var ub) && Canonical(word, 4)) return AbiType.UInt(ub);
        if (word.StartsWith("int", StringComparison.Ordinal) && int.TryParse(word.AsSpan(3), out var ib) && Canonical(word, 3)) return AbiType.Int(ib);
        if (word.StartsWith("bytes", StringComparison.Ordinal) && int.TryParse(word.AsSpan(5), out var nb) && Canonical(word, 5)) return AbiType.FixedBytes(nb);
        throw p.Fail($"unknown type '{word}'");
    }

    private static bool Canonical(string word, int start) => word.Length > start && word[start] != '0' && word[start..].All(char.IsAsciiDigit);

    private struct Cursor(string text)
    {
        private int _pos;
        public readonly bool End => _pos >= text.Length;
        public readonly char Peek => _pos < text.Length ? text[_pos] : '\0';
        public void Advance(int n) => _pos += n;
        public void SkipSpace() { while (_pos < text.Length && char.IsWhiteSpace(text[_pos])) _pos++; }
        public readonly bool StartsWithWord(string w) => string.CompareOrdinal(text, _pos, w, 0, w.Length) == 0;

        public bool TryTake(char c)
        {
            SkipSpace();
            if (Peek != c) return false;
            _pos++;
            return true;
        }

        public void Expect(char c)
        {
            if (!TryTake(c)) throw Fail($"expected '{c}'");
        }

        public string Word()
        {
            SkipSpace();
            int start = _pos;
            while (_pos < text.Length && (char.IsAsciiLetterOrDigit(text[_pos]) || text[_pos] is '_' or '$')) _pos++;
            if (start == _pos) throw Fail("expected a word");
            return text[start.._pos];
        }

        public string Digits()
        {
            int start = _pos;
            while (_pos < text.Length && char.IsAsciiDigit(text[_pos])) _pos++;
            return text[start.._pos];
        }

        public readonly AbiEncodingException Fail(string why) => new($"cannot parse ABI signature \"{text}\" at {_pos}: {why}");
    }
}

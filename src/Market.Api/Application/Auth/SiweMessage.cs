using System.Globalization;
using System.Text;

namespace Market.Api.Application.Auth;

/// <summary>
/// A sign-in message in the EIP-4361 ("Sign-In with Ethereum") text format. The server issues
/// one per challenge; the wallet signs its exact text with personal_sign (EIP-191); the server
/// parses what came back and checks every field against the challenge it stored, so a message for
/// another domain, chain or nonce, or one past its expiry, is refused.
/// </summary>
public sealed record SiweMessage(
    string Domain,
    string Address,
    string? Statement,
    string Uri,
    long ChainId,
    string Nonce,
    DateTimeOffset IssuedAt,
    DateTimeOffset ExpirationTime)
{
    private const string Header = " wants you to sign in with your Ethereum account:";
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss'Z'";

    public string Format()
    {
        var sb = new StringBuilder();
        sb.Append(Domain).Append(Header).Append('\n');
        sb.Append(Address).Append('\n');
        sb.Append('\n');
        if (Statement is not null) sb.Append(Statement).Append('\n');
        sb.Append('\n');
        sb.Append("URI: ").Append(Uri).Append('\n');
        sb.Append("Version: 1\n");
        sb.Append("Chain ID: ").Append(ChainId.ToString(CultureInfo.InvariantCulture)).Append('\n');
        sb.Append("Nonce: ").Append(Nonce).Append('\n');
        sb.Append("Issued At: ").Append(IssuedAt.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture)).Append('\n');
        sb.Append("Expiration Time: ").Append(ExpirationTime.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture));
        return sb.ToString();
    }

    /// <summary>Parses the subset of EIP-4361 that <see cref="Format"/> writes.</summary>
    /// <exception cref="FormatException">with a message naming the first line that is wrong.</exception>
    public static SiweMessage Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > 4096) throw new FormatException("sign-in message is too long");
        var lines = text.Split('\n');
        var i = 0;
        string Next(string what) => i < lines.Length ? lines[i++] : throw new FormatException($"sign-in message ends before {what}");

        var first = Next("the header");
        if (!first.EndsWith(Header, StringComparison.Ordinal) || first.Length == Header.Length)
            throw new FormatException("sign-in message does not start with '<domain> wants you to sign in with your Ethereum account:'");
        var domain = first[..^Header.Length];
        var address = Next("the address");
        if (Next("the blank line") != "") throw new FormatException("sign-in message lacks the blank line after the address");
        string? statement = null;
        var line = Next("the statement");
        if (line != "")
        {
            statement = line;
            if (Next("the blank line") != "") throw new FormatException("sign-in message lacks the blank line after the statement");
        }
        var uri = Field(Next("URI"), "URI");
        if (Field(Next("Version"), "Version") != "1") throw new FormatException("sign-in message version must be 1");
        if (!long.TryParse(Field(Next("Chain ID"), "Chain ID"), NumberStyles.None, CultureInfo.InvariantCulture, out var chainId))
            throw new FormatException("sign-in message has a bad Chain ID");
        var nonce = Field(Next("Nonce"), "Nonce");
        var issued = Time(Field(Next("Issued At"), "Issued At"), "Issued At");
        var expires = Time(Field(Next("Expiration Time"), "Expiration Time"), "Expiration Time");
        if (i != lines.Length) throw new FormatException("sign-in message has unexpected lines after Expiration Time");
        return new SiweMessage(domain, address, statement, uri, chainId, nonce, issued, expires);
    }

    private static string Field(string line, string name)
    {
        var prefix = name + ": ";
        if (!line.StartsWith(prefix, StringComparison.Ordinal) || line.Length == prefix.Length)
            throw new FormatException($"sign-in message lacks '{name}:'");
        return line[prefix.Length..];
    }

    private static DateTimeOffset Time(string s, string name) =>
        DateTimeOffset.TryParseExact(s, TimeFormat, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t)
            ? t
            : throw new FormatException($"sign-in message has a bad '{name}' time");
}

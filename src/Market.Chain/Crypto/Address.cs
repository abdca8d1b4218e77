using Market.Chain.Crypto;

namespace Market.Chain;

/// <summary>
/// A 20-byte account address. <see cref="ToString"/> gives the EIP-55 checksummed form;
/// <see cref="Parse"/> accepts all-lower or all-upper hex, and mixed case only with a valid checksum.
/// </summary>
public readonly struct Address : IEquatable<Address>
{
    private readonly byte[]? _bytes;

    public Address(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != 20) throw new HexFormatException($"an address has 20 bytes, got {bytes.Length}");
        _bytes = bytes.ToArray();
    }

    public static Address Zero { get; } = new(new byte[20]);

    public ReadOnlySpan<byte> Bytes => _bytes ?? new byte[20];

    public byte[] ToArray() => Bytes.ToArray();

    public bool IsZero => Bytes.IndexOfAnyExcept((byte)0) < 0;

    public static Address Parse(string text)
    {
        if (text is null || text.Length != 42 || !text.StartsWith("0x", StringComparison.Ordinal))
            throw new HexFormatException($"an address is \"0x\" and 40 hex digits: \"{text}\"");
        var bytes = Hex.Decode(text);
        var body = text.AsSpan(2);
        bool hasLower = body.IndexOfAny("abcdef") >= 0, hasUpper = body.IndexOfAny("ABCDEF") >= 0;
        var address = new Address(bytes);
        if (hasLower && hasUpper && address.ToString() != text)
            throw new HexFormatException($"bad EIP-55 checksum in address {text}");
        return address;
    }

    public static bool TryParse(string? text, out Address address)
    {
        try { address = Parse(text!); return true; }
        catch (HexFormatException) { address = default; return false; }
    }

    /// <summary>The last 20 bytes of Keccak-256 of the 64-byte uncompressed public key (no 0x04).</summary>
    public static Address FromPublicKey(ReadOnlySpan<byte> publicKey64)
    {
        if (publicKey64.Length == 65 && publicKey64[0] == 4) publicKey64 = publicKey64[1..];
        if (publicKey64.Length != 64) throw new SignatureException($"a public key has 64 bytes, got {publicKey64.Length}");
        return new Address(Keccak256.Hash(publicKey64).AsSpan(12));
    }

    /// <summary>EIP-55: hex digit i is upper-case when nibble i of Keccak(lower-case hex) is ≥ 8.</summary>
    public override string ToString()
    {
        var lower = Convert.ToHexStringLower(Bytes);
        var hash = Keccak256.Hash(System.Text.Encoding.ASCII.GetBytes(lower));
        var chars = new char[42];
        chars[0] = '0'; chars[1] = 'x';
        for (int i = 0; i < 40; i++)
        {
            int nibble = (hash[i / 2] >> (i % 2 == 0 ? 4 : 0)) & 0xf;
            chars[i + 2] = nibble >= 8 ? char.ToUpperInvariant(lower[i]) : lower[i];
        }
        return new string(chars);
    }

    public string ToLowerHex() => "0x" + Convert.ToHexStringLower(Bytes);

    public bool Equals(Address other) => Bytes.SequenceEqual(other.Bytes);
    public override bool Equals(object? obj) => obj is Address a && Equals(a);
    public override int GetHashCode() => BitConverter.ToInt32(Bytes[16..]);
    public static bool operator ==(Address a, Address b) => a.Equals(b);
    public static bool operator !=(Address a, Address b) => !a.Equals(b);
}

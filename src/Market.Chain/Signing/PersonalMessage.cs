using Market.Chain.Crypto;

namespace Market.Chain.Signing;

/// <summary>EIP-191 version 0x45 ("personal_sign"): Keccak("\x19Ethereum Signed Message:\n" + len + message).</summary>
public static class PersonalMessage
{
    public static byte[] Hash(ReadOnlySpan<byte> message)
    {
        // "\u0019", not "\x19E…": C# would read \x19E as one escape (HOST-NOTES).
        var prefix = System.Text.Encoding.ASCII.GetBytes("\u0019Ethereum Signed Message:\n" + message.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var buffer = new byte[prefix.Length + message.Length];
        prefix.CopyTo(buffer, 0);
        message.CopyTo(buffer.AsSpan(prefix.Length));
        return Keccak256.Hash(buffer);
    }

    public static byte[] Hash(string message) => Hash(System.Text.Encoding.UTF8.GetBytes(message));

    public static EthSignature Sign(ReadOnlySpan<byte> message, EthKey key) => key.SignHash(Hash(message));
    public static EthSignature Sign(string message, EthKey key) => key.SignHash(Hash(message));

    public static Address Recover(ReadOnlySpan<byte> message, EthSignature signature) => Secp256k1.Recover(Hash(message), signature);
    public static Address Recover(string message, EthSignature signature) => Secp256k1.Recover(Hash(message), signature);
    public static Address Recover(string message, string signatureHex) => Recover(message, EthSignature.FromHex(signatureHex));
}

namespace Market.Chain;

/// <summary>A keystore file cannot be read, or the passphrase is wrong.</summary>
public sealed class KeystoreException : ChainException
{
    public KeystoreException(string message) : base(message) { }
    public KeystoreException(string message, Exception inner) : base(message, inner) { }
}

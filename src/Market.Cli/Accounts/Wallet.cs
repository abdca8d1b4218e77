using System.Text.Json;
using Market.Chain;
using Market.Chain.Crypto;
using Market.Chain.Keystore;
using Market.Cli.Cli;

namespace Market.Cli.Accounts;

/// <summary>
/// The consumer's key in a keystore v3 file. The address is read from the file without the
/// passphrase (so read-only commands with a cached session never ask for it); the key is decrypted
/// only when something must be signed, at most once per invocation.
/// </summary>
internal sealed class Wallet(string keystoreFile, PassphraseSource passphrase)
{
    public string File => keystoreFile;
    private EthKey? _key;

    public bool Exists => System.IO.File.Exists(keystoreFile);

    public Address Address
    {
        get
        {
            if (_key is not null) return _key.Address;
            Require();
            try
            {
                using var doc = JsonDocument.Parse(System.IO.File.ReadAllText(keystoreFile));
                if (doc.RootElement.TryGetProperty("address", out var a) && a.GetString() is { } s
                    && Address.TryParse(s.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? s : "0x" + s, out var address))
                    return address;
            }
            catch (JsonException) { throw CliException.Usage($"{keystoreFile} is not a keystore file"); }
            return Key.Address;
        }
    }

    public EthKey Key
    {
        get
        {
            if (_key is not null) return _key;
            Require();
            var json = System.IO.File.ReadAllText(keystoreFile);
            try { return _key = KeyStoreV3.Decrypt(json, passphrase.Get()); }
            catch (KeystoreException e) { throw CliException.Usage($"cannot open the keystore {keystoreFile}: {e.Message}"); }
        }
    }

    private void Require()
    {
        if (!Exists) throw CliException.Usage($"no keystore at {keystoreFile}: run `market account new` or `market account import`, or give --keystore");
    }

    /// <summary>Writes a new keystore (owner-only permissions); refuses to replace one.</summary>
    public void Create(EthKey key, KdfParameters kdf)
    {
        if (Exists) throw CliException.Usage($"{keystoreFile} already exists; move it away or give another --keystore");
        var pass = passphrase.Get(confirm: true);
        PrivateFile.Write(keystoreFile, KeyStoreV3.Encrypt(key, pass, kdf), overwrite: false);
        _key = key;
    }
}

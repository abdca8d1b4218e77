using Market.Chain.Crypto;
using Market.Chain.Keystore;
using Spectre.Console;

namespace ProviderAgent.Config;

/// <summary>
/// Where the passphrase of the provider key comes from: a file (--passphrase-file), the environment
/// (PROVIDER_AGENT_PASSPHRASE) or an interactive prompt, in that order. Neither the passphrase nor
/// the key is ever printed or logged.
/// </summary>
public static class KeySource
{
    public const string PassphraseVariable = "PROVIDER_AGENT_PASSPHRASE";

    public static string Passphrase(string? passphraseFile, bool confirm = false)
    {
        if (!string.IsNullOrEmpty(passphraseFile))
            return File.ReadAllText(passphraseFile).TrimEnd('\r', '\n');
        if (Environment.GetEnvironmentVariable(PassphraseVariable) is { Length: > 0 } env) return env;
        if (Console.IsInputRedirected)
            throw new InvalidOperationException($"no passphrase: give --passphrase-file or set {PassphraseVariable}");
        var first = AnsiConsole.Prompt(new TextPrompt<string>("Key passphrase:").Secret());
        if (confirm && AnsiConsole.Prompt(new TextPrompt<string>("Repeat passphrase:").Secret()) != first)
            throw new InvalidOperationException("the passphrases differ");
        return first;
    }

    public static EthKey Load(string keyFile, string? passphraseFile)
    {
        if (!File.Exists(keyFile)) throw new InvalidOperationException($"no key file at {keyFile}: run `provider-agent init` first");
        try { return KeyStoreV3.Decrypt(File.ReadAllText(keyFile), Passphrase(passphraseFile)); }
        catch (Market.Chain.KeystoreException e) { throw new InvalidOperationException($"cannot open the key file: {e.Message}"); }
    }

    /// <summary>Writes a keystore v3 file readable by the owner only.</summary>
    public static void Save(string keyFile, EthKey key, string passphrase, KdfParameters? kdf = null)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(keyFile))!);
        string json = KeyStoreV3.Encrypt(key, passphrase, kdf);
        string tmp = keyFile + ".tmp";
        using (var f = new FileStream(tmp, new FileStreamOptions
        {
            Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        }))
        using (var w = new StreamWriter(f)) w.Write(json);
        File.Move(tmp, keyFile, overwrite: true);
    }
}

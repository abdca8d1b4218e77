using Market.Cli.Cli;

namespace Market.Cli.Accounts;

/// <summary>The keystore passphrase: --passphrase-file, else MARKET_PASSPHRASE, else a hidden prompt. Never printed.</summary>
internal sealed class PassphraseSource(string? file, CliEnvironment env)
{
    public const string Variable = "MARKET_PASSPHRASE";

    public string Get(bool confirm = false)
    {
        if (!string.IsNullOrEmpty(file))
        {
            if (!File.Exists(file)) throw CliException.Usage($"passphrase file {file} does not exist");
            var text = File.ReadAllText(file).TrimEnd('\r', '\n');
            return text.Length > 0 ? text : throw CliException.Usage($"passphrase file {file} is empty");
        }
        if (env.Variable(Variable) is { Length: > 0 } v) return v;
        if (env.PromptSecret is not { } prompt)
            throw CliException.Usage($"no passphrase: give --passphrase-file or set {Variable}");
        var first = prompt("Keystore passphrase: ");
        if (first.Length == 0) throw CliException.Usage("the passphrase is empty");
        if (confirm && prompt("Repeat passphrase: ") != first) throw CliException.Usage("the passphrases differ");
        return first;
    }
}

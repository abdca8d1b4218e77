using System.CommandLine;
using System.Text.Json.Nodes;
using Market.Chain;
using Market.Chain.Crypto;
using Market.Chain.Keystore;
using Market.Cli.Chain;
using Market.Cli.Cli;

namespace Market.Cli.Commands;

/// <summary>`market account new|import|show`: the keystore holding the consumer's key.</summary>
internal static class AccountCommands
{
    public static Command Create(GlobalOptions o)
    {
        var account = new Command("account", "Create, import or show the wallet in the keystore");
        account.Subcommands.Add(New(o));
        account.Subcommands.Add(Import(o));
        account.Subcommands.Add(Show(o));
        return account;
    }

    private static Command New(GlobalOptions o)
    {
        var scryptN = new Option<int>("--scrypt-n") { Description = "scrypt cost N (a power of two; default 131072)", DefaultValueFactory = _ => 131072 };
        var cmd = new Command("new", "Generate a key and write it as an encrypted keystore v3 file") { scryptN };
        cmd.Action(o, (r, ctx, ct) =>
        {
            var n = r.GetValue(scryptN);
            if (n < 2 || (n & (n - 1)) != 0) throw CliException.Usage("--scrypt-n must be a power of two ≥ 2");
            var key = EthKey.Generate();
            ctx.Wallet.Create(key, new ScryptParameters { N = n });
            return Task.FromResult(Written(ctx, key.Address));
        });
        return cmd;
    }

    private static Command Import(GlobalOptions o)
    {
        var keyFile = new Option<string>("--key-file") { Description = "File holding a 0x-hex private key", Required = true };
        var cmd = new Command("import", "Encrypt an existing private key into the keystore") { keyFile };
        cmd.Action(o, (r, ctx, ct) =>
        {
            var path = r.GetValue(keyFile)!;
            if (!File.Exists(path)) throw CliException.Usage($"key file {path} does not exist");
            EthKey key;
            // Never echo the file's content: it is a private key.
            try { key = new EthKey(File.ReadAllText(path).Trim()); }
            catch (Exception e) when (e is ChainException or ArgumentException or FormatException)
            { throw CliException.Usage($"{path} does not hold a 32-byte hex private key"); }
            ctx.Wallet.Create(key, new ScryptParameters());
            return Task.FromResult(Written(ctx, key.Address));
        });
        return cmd;
    }

    private static int Written(CliContext ctx, Address address)
    {
        if (ctx.Json) ctx.Out.Json(new JsonObject { ["address"] = address.ToString(), ["keystore"] = Path.GetFullPath(ctx.KeystoreFile) });
        else ctx.Out.Line($"{address} (keystore {Path.GetFullPath(ctx.KeystoreFile)})");
        return ExitCodes.Ok;
    }

    private static Command Show(GlobalOptions o)
    {
        var cmd = new Command("show", "Show the address; with --deployment the chain id, with --rpc too the balances");
        cmd.Action(o, async (r, ctx, ct) =>
        {
            var address = ctx.Wallet.Address;
            var json = new JsonObject { ["address"] = address.ToString(), ["keystore"] = Path.GetFullPath(ctx.KeystoreFile) };
            var fields = new List<(string, string?)> { ("address", address.ToString()), ("keystore", Path.GetFullPath(ctx.KeystoreFile)) };
            if (ctx.Chain.HasDeployment)
            {
                json["chainId"] = ctx.Chain.Deployment.ChainId.ToString();
                fields.Add(("chain id", ctx.Chain.Deployment.ChainId.ToString()));
                if (ctx.Chain.HasRpc)
                {
                    var b = await ChainAccess.BalancesAsync(await ctx.Chain.ContractsAsync(null, ct), address, ct);
                    json["balances"] = b.ToJson();
                    fields.AddRange(b.Fields().Skip(1));
                }
            }
            else if (ctx.Chain.HasRpc)
            {
                var id = (await ctx.Chain.Client.ChainIdAsync(ct)).ToString();
                json["chainId"] = id;
                fields.Add(("chain id", id));
            }
            if (ctx.Json) ctx.Out.Json(json); else ctx.Out.Fields(fields);
            return ExitCodes.Ok;
        });
        return cmd;
    }
}

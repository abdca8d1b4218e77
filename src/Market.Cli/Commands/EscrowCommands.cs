using System.CommandLine;
using System.Numerics;
using System.Text.Json.Nodes;
using Market.Cli.Chain;
using Market.Cli.Cli;
using Market.Cli.Text;

namespace Market.Cli.Commands;

/// <summary>`market deposit|withdraw|balance`: the consumer's LeaseEscrow balance, on chain.</summary>
internal static class EscrowCommands
{
    public static IEnumerable<Command> Create(GlobalOptions o) => [Deposit(o), Withdraw(o), Balance(o)];

    private static Argument<string> AmountArgument() => new("amount") { Description = "Whole tokens, e.g. 12.5 (up to the token's decimals), or base units with --base-units" };
    private static Option<bool> BaseUnits() => new("--base-units") { Description = "The amount is in the token's base units" };

    private static Command Deposit(GlobalOptions o)
    {
        var amount = AmountArgument();
        var baseUnits = BaseUnits();
        var cmd = new Command("deposit", "Approve the token (when needed) and deposit into LeaseEscrow") { amount, baseUnits };
        cmd.Action(o, async (r, ctx, ct) =>
        {
            var c = await ctx.Chain.ContractsAsync(ctx.Wallet.Key, ct);
            var decimals = await ChainAccess.DecimalsAsync(c, ct);
            var units = TokenAmount.Parse(r.GetValue(amount)!, decimals, r.GetValue(baseUnits));
            var me = ctx.Wallet.Key.Address;
            var held = await c.Token.BalanceOfQueryAsync(me, null, ct);
            if (held < units)
                throw new CliException(ExitCodes.Refused, $"insufficient-token-balance: the wallet holds {TokenAmount.Format(held, decimals)}, cannot deposit {TokenAmount.Format(units, decimals)}");
            string? approveTx = null;
            if (await c.Token.AllowanceQueryAsync(me, c.Escrow.ContractAddress, null, ct) < units)
                approveTx = (await c.Token.ApproveRequestAndWaitForReceiptAsync(c.Escrow.ContractAddress, units, ct)).TransactionHash;
            var receipt = await c.Escrow.DepositRequestAndWaitForReceiptAsync(units, ct);
            ctx.Chain.RememberDeposit(me, receipt.BlockNumber);
            return await Report(ctx, c, "deposited", units, decimals, receipt.TransactionHash, receipt.BlockNumber, approveTx, ct);
        });
        return cmd;
    }

    private static Command Withdraw(GlobalOptions o)
    {
        var amount = AmountArgument();
        var baseUnits = BaseUnits();
        var cmd = new Command("withdraw", "Withdraw free escrow balance back to the wallet") { amount, baseUnits };
        cmd.Action(o, async (r, ctx, ct) =>
        {
            var c = await ctx.Chain.ContractsAsync(ctx.Wallet.Key, ct);
            var decimals = await ChainAccess.DecimalsAsync(c, ct);
            var units = TokenAmount.Parse(r.GetValue(amount)!, decimals, r.GetValue(baseUnits));
            var receipt = await c.Escrow.WithdrawRequestAndWaitForReceiptAsync(units, ct);
            return await Report(ctx, c, "withdrew", units, decimals, receipt.TransactionHash, receipt.BlockNumber, null, ct);
        });
        return cmd;
    }

    private static async Task<int> Report(CliContext ctx, Market.Chain.Contracts.MarketContracts c, string verb, BigInteger units, int decimals,
        string tx, ulong block, string? approveTx, CancellationToken ct)
    {
        var b = await ChainAccess.BalancesAsync(c, ctx.Wallet.Key.Address, ct);
        if (ctx.Json)
        {
            var json = new JsonObject { ["amount"] = units.ToString(), ["tx"] = tx, ["block"] = block, ["approveTx"] = approveTx, ["balances"] = b.ToJson() };
            ctx.Out.Json(json);
        }
        else
        {
            ctx.Out.Line($"{verb} {TokenAmount.Format(units, decimals)} in tx {tx} (block {block})" + (approveTx is null ? "" : $", approved in tx {approveTx}"));
            ctx.Out.Fields(b.Fields());
        }
        return ExitCodes.Ok;
    }

    private static Command Balance(GlobalOptions o)
    {
        var cmd = new Command("balance", "Wallet token balance and escrow balance (free, locked, open leases)");
        cmd.Action(o, async (r, ctx, ct) =>
        {
            var b = await ChainAccess.BalancesAsync(await ctx.Chain.ContractsAsync(null, ct), ctx.Wallet.Address, ct);
            if (ctx.Json) ctx.Out.Json(b.ToJson()); else ctx.Out.Fields(b.Fields());
            return ExitCodes.Ok;
        });
        return cmd;
    }
}

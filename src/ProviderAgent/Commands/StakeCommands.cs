using System.CommandLine;
using Market.Chain;
using ProviderAgent.Staking;

namespace ProviderAgent.Commands;

/// <summary>`provider-agent unbond` and `provider-agent withdraw`.</summary>
internal static class StakeCommands
{
    public static Command Unbond()
    {
        var cmd = new Command("unbond", "Request to unbond the stake; it can be withdrawn after the unbonding period once no lease is open.");
        cmd.SetAction((result, ct) => CommonOptions.Guarded(async () =>
        {
            var config = ChainOptions.Config(result);
            var chain = new ProviderChain(await ChainOptions.ContractsAsync(result, config, ChainOptions.Key(result, config), ct));
            try { await chain.RequestUnbondAsync(ct); }
            catch (ContractRevertException e) { throw new InvalidOperationException($"the chain refused: {e.ErrorName} {e.Message}"); }
            Console.WriteLine("unbonding requested");
            return 0;
        }));
        return cmd;
    }

    public static Command Withdraw()
    {
        var cmd = new Command("withdraw", "Withdraw the stake (after unbonding) and the earnings held in the escrow.");
        cmd.SetAction((result, ct) => CommonOptions.Guarded(async () =>
        {
            var config = ChainOptions.Config(result);
            var chain = new ProviderChain(await ChainOptions.ContractsAsync(result, config, ChainOptions.Key(result, config), ct));
            try
            {
                var (stake, earnings, note) = await chain.WithdrawAsync(ct);
                Console.WriteLine($"withdrew stake {stake} and earnings {earnings}" + (note is null ? "" : $"; {note}"));
            }
            catch (ContractRevertException e) { throw new InvalidOperationException($"the chain refused: {e.ErrorName} {e.Message}"); }
            return 0;
        }));
        return cmd;
    }
}

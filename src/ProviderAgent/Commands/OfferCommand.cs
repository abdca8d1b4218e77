using System.CommandLine;
using Market.Chain;
using ProviderAgent.Offers;
using ProviderAgent.Staking;

namespace ProviderAgent.Commands;

/// <summary>`provider-agent offer`: plan offers over the attested capacity not yet offered, and post them.</summary>
internal static class OfferCommand
{
    public static Command Create()
    {
        var dryRun = new Option<bool>("--dry-run") { Description = "Show the planned offers without posting them" };
        var maxSlice = new Option<ulong?>("--max-offer-mncu") { Description = "Largest single offer (overrides the config)" };
        var cmd = new Command("offer", "Post graded offers for the attested capacity not yet offered, priced by the configured strategy.");
        cmd.Options.Add(dryRun);
        cmd.Options.Add(maxSlice);
        cmd.SetAction((result, ct) => CommonOptions.Guarded(async () =>
        {
            var config = ChainOptions.Config(result);
            var key = ChainOptions.Key(result, config);
            var chain = new ProviderChain(await ChainOptions.ContractsAsync(result, config, key, ct));
            ulong free = await chain.FreeToOfferAsync(ct);
            var plan = OfferPlanner.Plan(free, result.GetValue(maxSlice) ?? config.MaxOfferMilliNcu, config);
            if (plan.Count == 0) { Console.WriteLine("nothing to offer: all attested capacity is already offered (or none is attested)"); return 0; }
            foreach (var p in plan) Console.WriteLine($"offer: {p.CapacityMilli} mNCU, grade {(int)p.Grade}, {p.PricePerNcuHour} per NCU-hour ({config.Pricing.Strategy})");
            if (result.GetValue(dryRun)) return 0;
            try
            {
                var ids = await chain.PostOffersAsync(plan, config, ct);
                Console.WriteLine($"posted offer(s) {string.Join(", ", ids)}");
            }
            catch (ContractRevertException e) { throw new InvalidOperationException($"the chain refused: {e.ErrorName} {e.Message}"); }
            return 0;
        }));
        return cmd;
    }
}

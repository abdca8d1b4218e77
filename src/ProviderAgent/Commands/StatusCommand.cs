using System.CommandLine;
using Market.Chain;
using ProviderAgent.Staking;
using Spectre.Console;

namespace ProviderAgent.Commands;

/// <summary>`provider-agent status`: stake, registry status, capacity, offers, open leases, earnings, and the daemon's local leases.</summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var cmd = new Command("status", "Show the provider's stake, status, offers and open leases on chain, and the daemon's leases.");
        cmd.SetAction((result, ct) => CommonOptions.Guarded(async () =>
        {
            var config = ChainOptions.Config(result);
            var chain = new ProviderChain(await ChainOptions.ContractsAsync(result, config, null, ct));
            var s = await chain.StatusAsync(Address.Parse(config.Address), ct);
            Console.WriteLine($"provider {s.Address}: {s.StatusName}, stake {s.Stake}" + (s.UnbondAt > 0 ? $", unbonds at {s.UnbondAt}" : ""));
            Console.WriteLine($"capacity: {s.AttestedLogical} mNCU attested, {s.Committed} committed to offers; measured {config.MilliNcu} mNCU (grade {config.Grade})");
            Console.WriteLine($"escrow balance (earnings): {s.EscrowBalance}; wallet token balance: {s.TokenBalance}");
            var offers = new Table().AddColumn("offer").AddColumn("grade").AddColumn("capacity").AddColumn("reserved").AddColumn("price/NCU-h").AddColumn("active");
            foreach (var (id, o) in s.Offers)
                offers.AddRow(id.ToString(), o.Grade.ToString(), o.CapacityMilli.ToString(), o.ReservedMilli.ToString(), o.PricePerNcuHour.ToString(), o.Active ? "yes" : "no");
            AnsiConsole.Write(offers);
            Console.WriteLine($"open leases on chain: {(s.OpenLeases.Count == 0 ? "none" : string.Join(", ", s.OpenLeases.Select(l => $"{l.Id} (state {l.State})")))}");
            var state = CommonOptions.Paths(result).OpenState();
            foreach (var r in state.ListLeaseRuns().TakeLast(20))
                Console.WriteLine($"local lease {r.LeaseId}: {r.Phase}{(r.FinalStatus is null ? "" : $" {r.FinalStatus}")}{(r.ExitCode is { } c ? $" exit {c}" : "")}"
                    + $", {state.PendingReportCount(r.LeaseId)} report(s) pending");
            return 0;
        }));
        return cmd;
    }
}

using System.Diagnostics;
using System.Globalization;
using Market.Billing.Settlement;
using Market.Chain.Contracts;
using Market.Chain.Contracts.OfferBook.ContractDefinition;
using Market.Chain.Crypto;
using Market.Chain.Bids;
using Market.Chain.Contracts.LeaseEscrow.ContractDefinition;
using Market.Billing.Sla;

namespace Market.Billing.Tests.Chain;

/// <summary>
/// The billing figures (scripts/bench/billing.sh), not a test: runs only when BILLING_BENCH_OUT names a
/// file to write the BENCH lines to. Opens BILLING_BENCH_LEASES leases (default 200) on two offers for
/// two consumers, lets the engine judge, propose (batches of 100, sorted) and finalize them, and reports
/// leases settled per second of engine time (the challenge window is skipped by time travel and not
/// counted) and the propose + finalize gas per lease as the engine saw it in its receipts.
/// </summary>
[Collection(BillingChainCollection.Name)]
public sealed class BillingFigures(BillingChain chain)
{
    private static readonly string? Out = Environment.GetEnvironmentVariable("BILLING_BENCH_OUT");

    [Fact]
    public async Task Settlement_throughput_and_gas()
    {
        if (string.IsNullOrEmpty(Out)) return;
        var n = int.TryParse(Environment.GetEnvironmentVariable("BILLING_BENCH_LEASES"), out var v) ? v : 200;
        var ct = CancellationToken.None;
        var p = chain.As(BillingChain.Provider);
        var offersNeeded = (n + 99) / 100;
        await p.Registry.AttestCapacityRequestAndWaitForReceiptAsync(1, (ulong)offersNeeded * 1_000_000, new byte[32]);
        var expires = await chain.LatestTimestampAsync() + 86_400;
        var offers = new List<System.Numerics.BigInteger>();
        for (var i = 0; i < offersNeeded; i++)
        {
            var r = await p.OfferBook.PostOfferRequestAndWaitForReceiptAsync(1, 2, 1_000_000, 2_000_000, 3_600, BillingChain.UptimeBps,
                BillingChain.PenaltyBps, new byte[32], new byte[32], expires);
            offers.Add(EventDecoding.DecodeSingle<OfferPostedEventDTO>(r).OfferId);
        }
        Console.Error.WriteLine($"opening {n} leases");
        var store = new InMemorySettlementStore();
        var source = new ListLeaseSource(store);
        var matcher = chain.As(BillingChain.Matcher);
        var now = await chain.LatestTimestampAsync();
        var facts = new List<LeaseFacts>();
        for (var i = 0; i < n; i++)
        {
            var consumer = i % 2 == 0 ? BillingChain.Consumer : BillingChain.OtherConsumer;
            var bid = new Bid
            {
                Consumer = consumer.Address, JobSpecHash = JobSpecHash.Compute($$"""{"image":"busybox","n":{{i}}}"""), ComputeType = 1, Grade = 2,
                MilliNcu = 10_000, MaxPricePerNcuHour = 2_000_000, MaxDurationSec = 600, MinUptimeBps = 9_000, Nonce = 1_000_000 + i, Deadline = now + 3_600,
            };
            var receipt = await matcher.Escrow.OpenLeaseRequestAndWaitForReceiptAsync(bid, matcher.Bids.Sign(bid, consumer).ToBytes(), offers[i / 100], 2_000_000);
            var e = EventDecoding.DecodeSingle<LeaseOpenedEventDTO>(receipt, matcher.Escrow.ContractAddress);
            facts.Add(new LeaseFacts((ulong)e.LeaseId, e.Consumer, e.Provider, (ulong)e.OfferId, e.MilliNcu, e.PricePerNcuHour, e.LockAmount,
                e.StartTime, e.MaxDurationSec, BillingChain.UptimeBps, BillingChain.PenaltyBps, null, null, LeaseOutcome.None, null, [], 0));
        }
        await chain.IncreaseTimeAsync(300);
        foreach (var f in facts) source.Set(BillingChain.Ran(f, 200, outcome: f.LeaseId % 10 == 0 ? LeaseOutcome.NonZeroExit : LeaseOutcome.Completed));

        var engine = new SettlementEngine(chain.Deployment, chain.SettlerSender(), store, source, new SettlementOptions { MaxBatchSize = 100 },
            m => Console.Error.WriteLine(m));
        var clock = Stopwatch.StartNew();
        await engine.TickAsync(ct, flush: true);
        var proposeTime = clock.Elapsed;
        await chain.IncreaseTimeAsync(61);
        clock.Restart();
        await engine.TickAsync(ct);
        var total = proposeTime + clock.Elapsed;
        if (engine.Stats.LeasesSettled != n) throw new InvalidOperationException($"settled {engine.Stats.LeasesSettled} of {n}");
        var gas = (engine.Stats.ProposeGas + engine.Stats.FinalizeGas) / n;
        var rate = n / total.TotalSeconds;
        await File.WriteAllTextAsync(Out, string.Create(CultureInfo.InvariantCulture,
            $"BENCH billing.settlements_per_s {rate:F0} leases/s\nBENCH billing.gas_per_lease {gas} gas\n"));
        Console.Error.WriteLine($"{n} leases in {engine.Stats.Batches} batches: {total.TotalMilliseconds:F0} ms, {gas} gas per lease");
        await chain.AssertConservedAsync();
    }
}

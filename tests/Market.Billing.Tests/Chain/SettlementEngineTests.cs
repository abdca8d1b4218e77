using System.Numerics;
using Market.Billing.Money;
using Market.Billing.Settlement;
using Market.Billing.Sla;
using Market.Billing.Statements;
using Market.Chain;
using Market.Chain.Contracts;
using Xunit.Abstractions;

namespace Market.Billing.Tests.Chain;

/// <summary>The settlement engine against a real LeaseEscrow: batches, balances to the base unit, breaches, disputes, reclaims, restarts.</summary>
[Collection(BillingChainCollection.Name)]
public sealed class SettlementEngineTests(BillingChain chain, ITestOutputHelper output)
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private const byte Settled = 5;
    private sealed class Crash : Exception;

    private SettlementEngine Engine(InMemorySettlementStore store, ILeaseSource source, int maxBatch = 100) =>
        new(chain.Deployment, chain.SettlerSender(), store, source, new SettlementOptions { MaxBatchSize = maxBatch }, output.WriteLine);

    private static Func<string, Task> CrashAt(string point) => p => p == point ? throw new Crash() : Task.CompletedTask;

    private Market.Chain.Contracts.LeaseEscrow.LeaseEscrowService Escrow => chain.As(BillingChain.Admin).Escrow;

    private async Task<Dictionary<Address, BigInteger>> BalancesAsync(params Address[] accounts)
    {
        var d = new Dictionary<Address, BigInteger>();
        foreach (var a in accounts) d[a] = await Escrow.BalanceOfQueryAsync(a);
        return d;
    }

    [Fact]
    public async Task Leases_settle_in_sorted_batches_and_balances_match_the_statements()
    {
        var (c10, c11, provider) = (BillingChain.Consumer.Address, BillingChain.OtherConsumer.Address, BillingChain.Provider.Address);
        var feeRecipient = await Escrow.FeeRecipientQueryAsync();
        var before = await BalancesAsync(c10, c11, provider, feeRecipient);
        var stakeBefore = await chain.As(BillingChain.Admin).Registry.StakeOfQueryAsync(provider);

        var l1 = await chain.OpenAsync(BillingChain.Consumer);
        var l2 = await chain.OpenAsync(BillingChain.OtherConsumer);
        var l3 = await chain.OpenAsync(BillingChain.Consumer, offerB: true);
        var l4 = await chain.OpenAsync(BillingChain.OtherConsumer);
        var l5 = await chain.OpenAsync(BillingChain.Consumer, offerB: true);
        await chain.IncreaseTimeAsync(600);
        var store = new InMemorySettlementStore();
        var source = new ListLeaseSource(store);
        source.Set(BillingChain.Ran(l1, 500));
        source.Set(BillingChain.Ran(l2, 400, LeaseOutcome.NonZeroExit));
        source.Set(BillingChain.Ran(l3, 300, runningAfter: 90));
        source.Set(BillingChain.Ran(l4, 590));
        source.Set(l5 with { RunningAtSec = null, EndedAtSec = l5.StartSec + 20, Outcome = LeaseOutcome.Refused });

        var engine = Engine(store, source, maxBatch: 3);
        await engine.TickAsync(Ct, flush: true);
        var batches = await store.UnfinishedBatchesAsync(Ct);
        Assert.Equal(2, batches.Count);
        Assert.All(batches, b => Assert.Equal(BatchState.Proposed, b.State));
        var order = batches.SelectMany(b => b.Entries.Select(e => SettlementEntry.Unpack(e).LeaseId)).ToList();
        // One provider: by offer, then consumer, then lease.
        var expected = new[] { l1, l2, l3, l4, l5 }.OrderBy(l => l.OfferId).ThenBy(l => l.Consumer.ToLowerHex(), StringComparer.Ordinal)
            .ThenBy(l => l.LeaseId).Select(l => l.LeaseId).ToList();
        Assert.Equal(expected, order);

        await engine.TickAsync(Ct); // window still open: nothing happens
        Assert.Equal(2, (await store.UnfinishedBatchesAsync(Ct)).Count);
        await chain.IncreaseTimeAsync(61);
        await engine.TickAsync(Ct);
        Assert.Empty(await store.UnfinishedBatchesAsync(Ct));

        var verdicts = new Dictionary<ulong, Verdict>
        {
            [l1.LeaseId] = Verdict.Met, [l2.LeaseId] = Verdict.ConsumerFault, [l3.LeaseId] = Verdict.Breached,
            [l4.LeaseId] = Verdict.Met, [l5.LeaseId] = Verdict.Breached,
        };
        foreach (var (id, verdict) in verdicts)
        {
            var s = (await store.LeaseAsync(id, Ct))!;
            Assert.Equal(LeaseBillingState.Settled, s.State);
            Assert.Equal(verdict, s.Verdict);
            Assert.Equal(Settled, await Escrow.LeaseStateOfQueryAsync(id));
            Assert.Equal(await Escrow.ChargeOfQueryAsync(s.Usage, s.PricePerNcuHour), s.Charge);
            Assert.Equal(verdict == Verdict.Breached ? BillingMath.Penalty(s.LockAmount, BillingChain.PenaltyBps) : 0, s.Penalty);
            Assert.Equal(s.LockAmount, s.Charge + s.Refund);
            Assert.NotNull(s.SettleTx);
        }
        Assert.True((await store.LeaseAsync(l3.LeaseId, Ct))!.Penalty > 0);

        // On-chain balances equal the statements to the base unit.
        var after = await BalancesAsync(c10, c11, provider, feeRecipient);
        foreach (var c in new[] { c10, c11 })
        {
            var st = Statement.Build(c, await store.OfAccountAsync(c, Ct));
            Assert.Equal(after[c] - before[c], st.AsConsumer.PenaltiesReceived - st.AsConsumer.Paid);
        }
        var sp = Statement.Build(provider, await store.OfAccountAsync(provider, Ct));
        Assert.Equal(5, sp.AsProvider.Leases);
        Assert.Equal(after[provider] - before[provider], sp.AsProvider.Earned);
        Assert.Equal(after[feeRecipient] - before[feeRecipient], sp.AsProvider.Fees);
        Assert.True(sp.AsProvider.Fees > 0);
        Assert.Equal(stakeBefore - sp.AsProvider.PenaltiesPaid, await chain.As(BillingChain.Admin).Registry.StakeOfQueryAsync(provider));
        Assert.Equal(5, engine.Stats.LeasesSettled);
        output.WriteLine($"gas per lease: {(engine.Stats.ProposeGas + engine.Stats.FinalizeGas) / 5}");
        await chain.AssertConservedAsync();
    }

    [Fact]
    public async Task A_dispute_inside_the_window_holds_the_lease_until_the_arbiter_resolves()
    {
        var a = await chain.OpenAsync(BillingChain.Consumer);
        var b = await chain.OpenAsync(BillingChain.Consumer);
        await chain.IncreaseTimeAsync(300);
        var store = new InMemorySettlementStore();
        var source = new ListLeaseSource(store);
        source.Set(BillingChain.Ran(a, 200));
        source.Set(BillingChain.Ran(b, 200));
        var engine = Engine(store, source);
        await engine.TickAsync(Ct, flush: true);
        await chain.As(BillingChain.Consumer).Escrow.DisputeRequestAndWaitForReceiptAsync(a.LeaseId);

        await chain.IncreaseTimeAsync(61);
        await engine.TickAsync(Ct);
        Assert.Equal(LeaseBillingState.Disputed, (await store.LeaseAsync(a.LeaseId, Ct))!.State);
        Assert.Equal(LeaseBillingState.Settled, (await store.LeaseAsync(b.LeaseId, Ct))!.State);
        await engine.TickAsync(Ct);
        Assert.Equal(LeaseBillingState.Disputed, (await store.LeaseAsync(a.LeaseId, Ct))!.State); // held: nobody ruled yet

        var consumer = BillingChain.Consumer.Address;
        var before = await chain.AccountAsync(consumer);
        BigInteger ruledUsage = 10_000 * 100;
        await chain.As(BillingChain.Arbiter).Escrow.ResolveDisputeRequestAndWaitForReceiptAsync(a.LeaseId, ruledUsage, (byte)Verdict.Breached);
        await engine.TickAsync(Ct);

        var s = (await store.LeaseAsync(a.LeaseId, Ct))!;
        Assert.Equal(LeaseBillingState.Settled, s.State);
        Assert.Equal(Verdict.Breached, s.Verdict);
        Assert.Equal(ruledUsage, s.Usage);
        Assert.Equal(await Escrow.ChargeOfQueryAsync(ruledUsage, a.PricePerNcuHour), s.Charge);
        Assert.Equal(BillingMath.Penalty(a.LockAmount, BillingChain.PenaltyBps), s.Penalty);
        Assert.Equal(a.LockAmount - s.Charge, s.Refund);
        Assert.Equal(Settled, await Escrow.LeaseStateOfQueryAsync(a.LeaseId));
        var after = await chain.AccountAsync(consumer);
        Assert.Equal(after.Balance + after.Locked - before.Balance - before.Locked, s.Penalty - s.Charge);
        Assert.Equal(1, engine.Stats.ResolvedDisputes);
        await chain.AssertConservedAsync();
    }

    [Fact]
    public async Task A_reclaim_after_timeout_works_with_the_operator_stopped_and_billing_records_it()
    {
        var consumer = BillingChain.Consumer.Address;
        var before = await chain.AccountAsync(consumer);
        var f = await chain.OpenAsync(BillingChain.Consumer, maxDurationSec: 600);
        await chain.IncreaseTimeAsync(600 + 3_600 + 1); // maxDuration + reclaimGrace: no billing ran
        await chain.As(BillingChain.Consumer).Escrow.ReclaimRequestAndWaitForReceiptAsync(f.LeaseId);
        Assert.Equal(before, await chain.AccountAsync(consumer));

        // Billing comes back: the lease is overdue (due), the chain says reclaimed, it is recorded, never proposed.
        var store = new InMemorySettlementStore();
        var source = new ListLeaseSource(store);
        source.Set(f);
        var engine = Engine(store, source);
        await engine.TickAsync(Ct, flush: true);
        var s = (await store.LeaseAsync(f.LeaseId, Ct))!;
        Assert.Equal(LeaseBillingState.Reclaimed, s.State);
        Assert.Equal(f.LockAmount, s.Refund);
        Assert.Empty(await store.UnfinishedBatchesAsync(Ct));
        Assert.Equal(0, engine.Stats.Batches);
        var st = Statement.Build(consumer, await store.OfAccountAsync(consumer, Ct));
        Assert.Equal(f.LockAmount, st.AsConsumer.Refunded);
        Assert.Equal(BigInteger.Zero, st.AsConsumer.Paid);
        await chain.AssertConservedAsync();
    }

    [Fact]
    public async Task Stopping_between_any_two_steps_completes_every_settlement_exactly_once()
    {
        var consumer = BillingChain.Consumer.Address;
        var leases = new List<LeaseFacts>();
        for (var i = 0; i < 6; i++) leases.Add(await chain.OpenAsync(i % 2 == 0 ? BillingChain.Consumer : BillingChain.OtherConsumer));
        var firstBlock = await chain.Client.BlockNumberAsync();
        await chain.IncreaseTimeAsync(300);
        var store = new InMemorySettlementStore();
        var source = new ListLeaseSource(store);
        foreach (var l in leases) source.Set(BillingChain.Ran(l, 200));
        var before = await chain.AccountAsync(consumer);

        // 1. Intent persisted, nothing sent.
        var e1 = Engine(store, source, maxBatch: 2);
        e1.FaultPoint = CrashAt("intent-saved");
        await Assert.ThrowsAsync<Crash>(() => e1.TickAsync(Ct, flush: true));
        Assert.Null((await store.UnfinishedBatchesAsync(Ct)).Single().ProposeTx);
        // 2. Restart: the intent is sent; crash once the transaction is out, before its receipt is recorded.
        var e2 = Engine(store, source, maxBatch: 2);
        e2.FaultPoint = CrashAt("proposal-sent");
        await Assert.ThrowsAsync<Crash>(() => e2.RecoverAsync(Ct));
        Assert.Equal(BatchState.Intent, (await store.UnfinishedBatchesAsync(Ct)).Single().State);
        // 3. Restart: the mined proposal is adopted, the rest proposed; crash right after a proposal is recorded.
        var e3 = Engine(store, source, maxBatch: 2);
        await e3.RecoverAsync(Ct);
        Assert.Equal(BatchState.Proposed, (await store.UnfinishedBatchesAsync(Ct)).Single().State);
        e3.FaultPoint = CrashAt("proposed");
        await Assert.ThrowsAsync<Crash>(() => e3.TickAsync(Ct, flush: true));
        // 4. Restart: the remaining leases are proposed; then the window ends and finalize crashes after it was mined.
        var e4 = Engine(store, source, maxBatch: 2);
        await e4.RecoverAsync(Ct);
        await e4.TickAsync(Ct, flush: true);
        Assert.Equal(3, (await store.UnfinishedBatchesAsync(Ct)).Count(b => b.State == BatchState.Proposed));
        await chain.IncreaseTimeAsync(61);
        e4.FaultPoint = CrashAt("finalized");
        await Assert.ThrowsAsync<Crash>(() => e4.TickAsync(Ct));
        // 5. Restart: finalize what is left; the batch finalized before the crash is recorded from its event.
        var e5 = Engine(store, source, maxBatch: 2);
        await e5.RecoverAsync(Ct);
        await e5.TickAsync(Ct);
        Assert.Empty(await store.UnfinishedBatchesAsync(Ct));

        var proposed = await Escrow.GetSettlementProposedEventsAsync(firstBlock);
        foreach (var l in leases)
        {
            Assert.Equal(1, proposed.SelectMany(p => p.Event.Entries).Count(e => SettlementEntry.Unpack(e).LeaseId == l.LeaseId));
            var s = (await store.LeaseAsync(l.LeaseId, Ct))!;
            Assert.Equal(LeaseBillingState.Settled, s.State);
            Assert.NotNull(s.SettleTx);
            Assert.Equal(Settled, await Escrow.LeaseStateOfQueryAsync(l.LeaseId));
        }
        Assert.Equal(3, (await Escrow.GetBatchFinalizedEventsAsync(firstBlock)).Count);
        var after = await chain.AccountAsync(consumer);
        var st = Statement.Build(consumer, await store.OfAccountAsync(consumer, Ct));
        Assert.Equal(3, st.AsConsumer.Leases);
        Assert.Equal(after.Balance + after.Locked - before.Balance - before.Locked, -st.AsConsumer.Paid);
        await chain.AssertConservedAsync();
    }

    [Fact]
    public async Task Money_rules_match_the_contract_views()
    {
        var rng = new Random(7);
        for (var i = 0; i < 25; i++)
        {
            var m = (ulong)rng.NextInt64(1, 2_000_000);
            var d = (uint)rng.Next(1, 86_400);
            var price = new BigInteger(rng.NextInt64(1, long.MaxValue)) * rng.Next(1, 1_000);
            var usage = (BigInteger)m * (ulong)rng.Next(0, (int)d + 1);
            Assert.Equal(await Escrow.LockAmountOfQueryAsync(m, d, price), BillingMath.LockAmount(m, d, price));
            Assert.Equal(await Escrow.ChargeOfQueryAsync(usage, price), BillingMath.Charge(usage, price));
        }
    }

    [Fact]
    public async Task Agent_times_on_the_wall_clock_are_judged_on_chain_time()
    {
        var f = await chain.OpenAsync(BillingChain.Consumer);
        var wallOpen = (ulong)DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        await chain.IncreaseTimeAsync(500); // chain time moves on without the wall clock (as on a dev node)
        var wall = (ulong)DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        // By the wall clock the agent has run since the lease opened and was seen a second ago: alive.
        var live = f with { RunningAtSec = wallOpen, SeenAtSec = [wall - 1], ReportedUsage = 0 };
        var store = new InMemorySettlementStore();
        var source = new ListLeaseSource(store);
        source.Set(live);
        var onWall = new SettlementEngine(chain.Deployment, chain.SettlerSender(), store, source,
            new SettlementOptions { AgentTimesOnWallClock = true }, output.WriteLine);
        await onWall.TickAsync(Ct, flush: true);
        Assert.Equal(0, onWall.DueCount);
        Assert.Null(await store.LeaseAsync(f.LeaseId, Ct));
        // Read as chain times, the same facts would make the agent look silent for ~500 s.
        var naive = new SettlementEngine(chain.Deployment, chain.SettlerSender(), store, source, new SettlementOptions(), output.WriteLine);
        await naive.TickAsync(Ct);
        Assert.Equal(1, naive.DueCount);
    }
}

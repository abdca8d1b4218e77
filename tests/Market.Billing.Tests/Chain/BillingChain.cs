using System.Numerics;
using Market.Billing.Settlement;
using Market.Billing.Sla;
using Market.Chain;
using Market.Chain.Accounts;
using Market.Chain.Bids;
using Market.Chain.Contracts;
using Market.Chain.Contracts.LeaseEscrow.ContractDefinition;
using Market.Chain.Contracts.OfferBook.ContractDefinition;
using Market.Chain.Crypto;
using Market.TestSupport;

namespace Market.Billing.Tests.Chain;

[CollectionDefinition(Name)]
public sealed class BillingChainCollection : ICollectionFixture<BillingChain>
{
    public const string Name = "billing-chain";
}

/// <summary>
/// A Hardhat node with one provider (#4, 1,000 tokens staked) and two offers — A: grade 2, 500,000 mNCU
/// at 2 tokens per NCU-hour; B: grade 3, 9,000 mNCU at 1 token — 99 % uptime and a 5 % penalty; consumers
/// #10 and #11 with 500 tokens in escrow; a 1 % fee. Leases are opened directly with the MATCHER key (#1)
/// from C#-signed bids. SETTLER is #2, ARBITER #3, admin and fee recipient #0.
/// </summary>
public sealed class BillingChain : HardhatNode, IAsyncLifetime
{
    public static readonly EthKey Admin = DevelopmentKeys.Key(0), Matcher = DevelopmentKeys.Key(1), Settler = DevelopmentKeys.Key(2),
        Arbiter = DevelopmentKeys.Key(3), Provider = DevelopmentKeys.Key(4), Consumer = DevelopmentKeys.Key(10), OtherConsumer = DevelopmentKeys.Key(11);

    public const ushort UptimeBps = 9_900, PenaltyBps = 500, FeeBps = 100;
    public BigInteger OfferA { get; private set; }
    public BigInteger OfferB { get; private set; }
    private long _nonce;

    public MarketContracts As(EthKey key) => new MarketContracts(Deployment, Client).As(new TransactionSender(Client, key, Deployment.ChainId));

    public TransactionSender SettlerSender() => new(Client, Settler, Deployment.ChainId);

    public new async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var p = As(Provider);
        BigInteger stake = 1_000_000_000;
        await p.Token.ApproveRequestAndWaitForReceiptAsync(p.Registry.ContractAddress, stake);
        await p.Registry.RegisterRequestAndWaitForReceiptAsync("https://provider.example/meta.json", new byte[32], stake);
        await p.Registry.AttestCapacityRequestAndWaitForReceiptAsync(0, 600_000, new byte[32]);
        var expires = await LatestTimestampAsync() + 30 * 86_400;
        OfferA = await PostAsync(p, 2, 500_000, 2_000_000, expires);
        OfferB = await PostAsync(p, 3, 9_000, 1_000_000, expires);
        foreach (var consumer in new[] { Consumer, OtherConsumer })
        {
            var c = As(consumer);
            await c.Token.ApproveRequestAndWaitForReceiptAsync(c.Escrow.ContractAddress, 500_000_000);
            await c.Escrow.DepositRequestAndWaitForReceiptAsync(500_000_000);
        }
        await As(Admin).Escrow.SetFeeBpsRequestAndWaitForReceiptAsync(FeeBps);
    }

    private static async Task<BigInteger> PostAsync(MarketContracts p, byte grade, ulong capacity, long price, ulong expires)
    {
        var receipt = await p.OfferBook.PostOfferRequestAndWaitForReceiptAsync(0, grade, capacity, price, 3_600, UptimeBps, PenaltyBps,
            new byte[32], new byte[32], expires);
        return EventDecoding.DecodeSingle<OfferPostedEventDTO>(receipt).OfferId;
    }

    /// <summary>Opens a lease on offer A (10,000 mNCU) or B (800 mNCU) and returns its facts, as billing would see a clean run so far.</summary>
    public async Task<LeaseFacts> OpenAsync(EthKey consumer, bool offerB = false, uint maxDurationSec = 3_600)
    {
        var offer = offerB ? OfferB : OfferA;
        var price = offerB ? 1_000_000 : 2_000_000;
        var now = await LatestTimestampAsync();
        var bid = new Bid
        {
            Consumer = consumer.Address, JobSpecHash = JobSpecHash.Compute("""{"image":"busybox","cmd":["true"]}"""), ComputeType = 0,
            Grade = (byte)(offerB ? 3 : 2), MilliNcu = offerB ? 800UL : 10_000UL, MaxPricePerNcuHour = price, MaxDurationSec = maxDurationSec,
            MinUptimeBps = 9_000, Nonce = Interlocked.Increment(ref _nonce), Deadline = now + 3_600,
        };
        var m = As(Matcher);
        var sig = m.Bids.Sign(bid, consumer).ToBytes();
        var receipt = await m.Escrow.OpenLeaseRequestAndWaitForReceiptAsync(bid, sig, offer, price);
        var e = EventDecoding.DecodeSingle<LeaseOpenedEventDTO>(receipt, m.Escrow.ContractAddress);
        return new LeaseFacts((ulong)e.LeaseId, e.Consumer, e.Provider, (ulong)e.OfferId, e.MilliNcu, e.PricePerNcuHour, e.LockAmount,
            e.StartTime, e.MaxDurationSec, UptimeBps, PenaltyBps, e.StartTime + 5, null, LeaseOutcome.None, null, [], 0);
    }

    /// <summary>The facts of a lease that ran from +5 s and ended cleanly at +<paramref name="ranSec"/>, seen every 30 s, metering fully.</summary>
    public static LeaseFacts Ran(LeaseFacts f, ulong ranSec, LeaseOutcome outcome = LeaseOutcome.Completed, ulong? runningAfter = 5)
    {
        var seen = new List<ulong>();
        for (var t = f.StartSec + 30; t < f.StartSec + ranSec; t += 30) seen.Add(t);
        return f with
        {
            RunningAtSec = runningAfter is { } r ? f.StartSec + r : null, EndedAtSec = f.StartSec + ranSec, Outcome = outcome, SeenAtSec = seen,
            ReportedUsage = runningAfter is null ? 0 : (BigInteger)f.MilliNcu * (ranSec - runningAfter.Value),
        };
    }

    /// <summary>Escrow balance and locked funds of an account.</summary>
    public async Task<(BigInteger Balance, BigInteger Locked)> AccountAsync(Address a)
    {
        var r = As(Admin).Escrow;
        return (await r.BalanceOfQueryAsync(a), await r.LockedOfQueryAsync(a));
    }

    /// <summary>Token conservation: escrow holds Σ balance + Σ locked of every account that ever touched it; the registry holds the stake.</summary>
    public async Task AssertConservedAsync()
    {
        var c = As(Admin);
        BigInteger sum = 0;
        foreach (var k in new[] { Admin, Matcher, Settler, Arbiter, Provider, Consumer, OtherConsumer })
        {
            var (b, l) = await AccountAsync(k.Address);
            sum += b + l;
        }
        Assert.Equal(await c.Token.BalanceOfQueryAsync(c.Escrow.ContractAddress), sum);
        Assert.Equal(await c.Token.BalanceOfQueryAsync(c.Registry.ContractAddress), await c.Registry.StakeOfQueryAsync(Provider.Address));
    }

    Task IAsyncLifetime.InitializeAsync() => InitializeAsync();
    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();
}

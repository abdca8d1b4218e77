using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Market.Api.Application.Indexing;
using Market.Api.Tests.Infrastructure;
using Market.Chain;
using Market.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Market.Api.Tests.Functional;

/// <summary>
/// Life beyond the happy path, on a real chain: bids signed by ethers, a market restarted over its
/// database (journal replay, indexer resume), and a lease the chain refuses.
/// </summary>
public sealed class MarketLifecycleTests(ChainFixture chain) : IClassFixture<ChainFixture>, IAsyncLifetime
{
    // Each test posts offers of its own; they start from the same chain so none sees another's.
    public Task InitializeAsync() => chain.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private const long BelowEveryOffer = 1_000_000; // the fixture's offer asks 2,000,000

    [Fact]
    public async Task A_bid_signed_by_ethers_is_accepted_and_leased()
    {
        await using var f = await Markets.StartAsync(chain, MarketApiFactory.TempSqlite());
        var consumer = await f.Client(chain, ChainFixture.Consumer).SignInAsync();
        var spec = MarketClient.Spec(milliNcu: 600);
        var (bid, _) = consumer.SignBid(spec);
        var input = new JsonObject
        {
            ["privateKey"] = ChainFixture.Consumer.PrivateKeyHex, ["chainId"] = (long)chain.Deployment.ChainId,
            ["escrow"] = chain.Deployment.AddressOf("LeaseEscrow").ToString(), ["bid"] = bid.DeepClone(),
        };
        var signature = await NodeScript.RunAsync(RepoRoot.Combine("tests", "Market.Api.Tests", "js", "sign-bid.js"), [], input.ToJsonString());
        var jobId = await Markets.JobIdAsync(await consumer.SubmitAsync(spec, bid, signature));
        await consumer.WaitForStatusAsync(jobId, "leased");
    }

    [Fact]
    public async Task After_a_restart_the_book_and_the_chain_view_are_intact_and_trading_resumes()
    {
        var db = MarketApiFactory.TempSqlite();
        long jobId;
        await using (var f = await Markets.StartAsync(chain, db))
        {
            var consumer = await f.Client(chain, ChainFixture.Consumer).SignInAsync();
            var spec = MarketClient.Spec(milliNcu: 700);
            var (bid, sig) = consumer.SignBid(spec, maxPrice: BelowEveryOffer);
            jobId = await Markets.JobIdAsync(await consumer.SubmitAsync(spec, bid, sig));
            await consumer.WaitForStatusAsync(jobId, "open");
        }

        // While the market is down, a provider posts a cheaper offer on chain.
        var region = new byte[32];
        await chain.As(ChainFixture.Provider).OfferBook.PostOfferRequestAndWaitForReceiptAsync(0, 3, 1_000, 900_000, 3_600, 9_900, 500, region,
            new byte[32], (ulong)DateTimeOffset.UtcNow.AddDays(30).ToUnixTimeSeconds());

        await using (var f = await Markets.StartAsync(chain, db, minOffers: 2))
        {
            var consumer = await f.Client(chain, ChainFixture.Consumer).SignInAsync();
            // The resting bid came back from the journal and met the new offer the indexer caught up on.
            var job = await consumer.WaitForStatusAsync(jobId, "leased");
            // The bid was resting and the offer arrived: the trade is at the resting side's price (DESIGN §5).
            Assert.Equal(BelowEveryOffer.ToString(), job.GetProperty("pricePerNcuHour").GetString());
            var timeline = job.GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty("status").GetString()).ToList();
            Assert.Equal(1, timeline.Count(s => s == "submitted")); // replay wrote nothing twice
            Assert.Equal(1, timeline.Count(s => s == "open"));
            var indexer = f.Services.GetRequiredService<ChainIndexer>();
            await indexer.WaitForHeadAsync(TimeSpan.FromSeconds(30));
            var offers = await consumer.Http.GetFromJsonAsync<JsonElement>("/v1/offers");
            Assert.Equal(offers.GetArrayLength(), offers.EnumerateArray().Select(o => o.GetProperty("id").GetInt64()).Distinct().Count());
        }
    }

    [Fact]
    public async Task A_lease_the_chain_refuses_rejects_the_job_with_the_chains_reason_and_frees_the_offer()
    {
        await using var f = await Markets.StartAsync(chain, MarketApiFactory.TempSqlite());
        var other = await f.Client(chain, ChainFixture.OtherConsumer).SignInAsync();
        var spec = MarketClient.Spec(milliNcu: 650);
        var (bid, sig) = other.SignBid(spec, maxPrice: BelowEveryOffer);
        var jobId = await Markets.JobIdAsync(await other.SubmitAsync(spec, bid, sig));
        await other.WaitForStatusAsync(jobId, "open");

        // The consumer empties its escrow on chain, then an offer arrives that matches the bid.
        var escrow = chain.As(ChainFixture.OtherConsumer).Escrow;
        var balance = await escrow.BalanceOfQueryAsync(ChainFixture.OtherConsumer.Address);
        await escrow.WithdrawRequestAndWaitForReceiptAsync(balance);
        await chain.As(ChainFixture.Provider).OfferBook.PostOfferRequestAndWaitForReceiptAsync(0, 3, 1_000, 800_000, 3_600, 9_900, 500, new byte[32],
            new byte[32], (ulong)DateTimeOffset.UtcNow.AddDays(30).ToUnixTimeSeconds());

        var job = await other.WaitForStatusAsync(jobId, "rejected");
        var last = job.GetProperty("timeline").EnumerateArray().Last().GetProperty("detail").GetString();
        Assert.Contains("LeaseEscrowInsufficientBalance", last);
        Assert.True(job.GetProperty("leaseId").ValueKind == JsonValueKind.Null);

        // The offer's capacity is free again: a funded consumer's bid at that price now leases.
        var again = chain.As(ChainFixture.OtherConsumer);
        await again.Token.ApproveRequestAndWaitForReceiptAsync(again.Escrow.ContractAddress, balance);
        await again.Escrow.DepositRequestAndWaitForReceiptAsync(balance);
        await f.Services.GetRequiredService<ChainIndexer>().WaitForHeadAsync(TimeSpan.FromSeconds(30));
        var spec2 = MarketClient.Spec(milliNcu: 1_000);
        var (bid2, sig2) = other.SignBid(spec2, maxPrice: 800_000);
        var job2 = await Markets.JobIdAsync(await other.SubmitAsync(spec2, bid2, sig2));
        Assert.Equal("800000", (await other.WaitForStatusAsync(job2, "leased")).GetProperty("pricePerNcuHour").GetString()); // resting offer's price
    }

    [Fact]
    public async Task A_job_stored_but_never_journaled_before_a_crash_is_submitted_again()
    {
        var db = MarketApiFactory.TempSqlite();
        long jobId;
        await using (var f = await Markets.StartAsync(chain, db))
        {
            var consumer = await f.Client(chain, ChainFixture.Consumer).SignInAsync();
            var spec = MarketClient.Spec(milliNcu: 720);
            var (bid, sig) = consumer.SignBid(spec, maxPrice: BelowEveryOffer);
            jobId = await Markets.JobIdAsync(await consumer.SubmitAsync(spec, bid, sig));
            await consumer.WaitForStatusAsync(jobId, "open");
        }
        // Stage the crash: the job row exists, its bid never made it into the journal.
        await using (var c = await new Market.Api.Infrastructure.Data.Database(db).OpenAsync())
        {
            await Dapper.SqlMapper.ExecuteAsync(c, "DELETE FROM engine_journal WHERE kind = 'PlaceBid'");
            await Dapper.SqlMapper.ExecuteAsync(c, "UPDATE jobs SET status = 'submitted' WHERE id = @jobId", new { jobId });
        }
        await using (var f = await Markets.StartAsync(chain, db))
        {
            var consumer = await f.Client(chain, ChainFixture.Consumer).SignInAsync();
            await consumer.WaitForStatusAsync(jobId, "open");
            var market = (await consumer.Http.GetFromJsonAsync<JsonElement>("/v1/markets"))!.EnumerateArray()
                .Single(m => m.GetProperty("computeType").GetInt32() == 0 && m.GetProperty("grade").GetInt32() == 3);
            Assert.Equal(BelowEveryOffer.ToString(), market.GetProperty("bestBid").GetString());
        }
    }

    [Fact]
    public async Task Resting_bids_hold_their_lock_against_escrow_and_a_cancelled_one_frees_it_at_once()
    {
        await using var f = await Markets.StartAsync(chain, MarketApiFactory.TempSqlite());
        var consumer = await f.Client(chain, ChainFixture.Consumer).SignInAsync();
        // 800 mNCU × 900,000 s × 1,000,000 per NCU-hour locks exactly 200,000,000 of the 500,000,000 deposited.
        var spec = MarketClient.Spec(milliNcu: 800, maxDurationSec: 900_000);
        async Task<HttpResponseMessage> Submit()
        {
            var (bid, sig) = consumer.SignBid(spec, maxPrice: BelowEveryOffer);
            return await consumer.SubmitAsync(spec, bid, sig);
        }
        var first = await Markets.JobIdAsync(await Submit());
        await Markets.JobIdAsync(await Submit());

        var refused = await Submit();
        Assert.Equal(HttpStatusCode.PaymentRequired, refused.StatusCode);
        Assert.Contains("only 100000000 are free", await refused.Content.ReadAsStringAsync());

        // The market's cached total still counts the cancelled bid; the refusal path re-reads it.
        await consumer.Http.DeleteAsync($"/v1/jobs/{first}");
        await consumer.WaitForStatusAsync(first, "cancelled");
        await Markets.JobIdAsync(await Submit());
        Assert.Equal(HttpStatusCode.PaymentRequired, (await Submit()).StatusCode);
    }

    [Fact]
    public async Task Offers_leave_the_book_while_their_provider_is_not_active_and_return_with_what_open_leases_hold()
    {
        await using var f = await Markets.StartAsync(chain, MarketApiFactory.TempSqlite());
        var consumer = await f.Client(chain, ChainFixture.Consumer).SignInAsync();
        async Task<long> Submit(long milliNcu)
        {
            var spec = MarketClient.Spec(milliNcu: milliNcu);
            var (bid, sig) = consumer.SignBid(spec, maxPrice: 3_000_000);
            return await Markets.JobIdAsync(await consumer.SubmitAsync(spec, bid, sig));
        }
        async Task WaitLiveOffers(int n)
        {
            var until = DateTime.UtcNow.AddSeconds(30);
            while ((await consumer.Http.GetFromJsonAsync<JsonElement>("/health/ready")).GetProperty("liveOffers").GetInt32() != n)
            {
                if (DateTime.UtcNow > until) throw new TimeoutException($"the engine never had {n} live offers");
                await Task.Delay(50);
            }
        }
        // The fixture's offer: 9,000 mNCU. A lease takes 5,000 of it.
        await consumer.WaitForStatusAsync(await Submit(5_000), "leased");

        var provider = chain.As(ChainFixture.Provider).Registry;
        await provider.RequestUnbondRequestAndWaitForReceiptAsync();
        await WaitLiveOffers(0);
        var waiting = await Submit(1_000);
        await consumer.WaitForStatusAsync(waiting, "open"); // nothing to match while the provider unbonds

        await provider.CancelUnbondRequestAndWaitForReceiptAsync();
        await WaitLiveOffers(1);
        await consumer.WaitForStatusAsync(waiting, "leased");
        // Back with 9,000 − 5,000 − 1,000 = 3,000 free: 3,500 rests, 3,000 fits exactly.
        var tooBig = await Submit(3_500);
        await consumer.WaitForStatusAsync(tooBig, "open");
        await consumer.WaitForStatusAsync(await Submit(3_000), "leased");
        Assert.Equal("open", (await consumer.JobAsync(tooBig)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_job_left_opening_whose_lease_was_mined_is_linked_by_the_indexer()
    {
        var db = MarketApiFactory.TempSqlite();
        long jobId;
        JsonObject bid;
        string sig;
        await using (var f = await Markets.StartAsync(chain, db))
        {
            var consumer = await f.Client(chain, ChainFixture.Consumer).SignInAsync();
            var spec = MarketClient.Spec(milliNcu: 700);
            (bid, sig) = consumer.SignBid(spec, maxPrice: BelowEveryOffer);
            jobId = await Markets.JobIdAsync(await consumer.SubmitAsync(spec, bid, sig));
            await consumer.WaitForStatusAsync(jobId, "open");
        }
        // Stage a send whose receipt never came back: a cheaper offer appears, the job is 'opening'
        // against it, and the lease was mined meanwhile (sent here with the MATCHER key).
        var posted = await chain.As(ChainFixture.Provider).OfferBook.PostOfferRequestAndWaitForReceiptAsync(0, 3, 1_000, 900_000, 3_600, 9_900, 500,
            new byte[32], new byte[32], (ulong)DateTimeOffset.UtcNow.AddDays(30).ToUnixTimeSeconds());
        var offerId = Market.Chain.Contracts.EventDecoding.DecodeSingle<Market.Chain.Contracts.OfferBook.ContractDefinition.OfferPostedEventDTO>(posted).OfferId;
        await using (var c = await new Market.Api.Infrastructure.Data.Database(db).OpenAsync())
            await Dapper.SqlMapper.ExecuteAsync(c, "UPDATE jobs SET status = 'opening', offer_id = @offer, price = '900000' WHERE id = @jobId",
                new { offer = (long)offerId, jobId });
        var dto = System.Text.Json.JsonSerializer.Deserialize<Market.Api.Application.Jobs.BidDto>(bid.ToJsonString(), new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web))!;
        await chain.As(ChainFixture.Matcher).Escrow.OpenLeaseRequestAndWaitForReceiptAsync(dto.ToBid(), Market.Chain.Hex.Decode(sig), offerId, 900_000);

        await using (var f = await Markets.StartAsync(chain, db, minOffers: 2))
        {
            var consumer = await f.Client(chain, ChainFixture.Consumer).SignInAsync();
            var job = await consumer.WaitForStatusAsync(jobId, "leased");
            Assert.True(job.GetProperty("leaseId").GetInt64() > 0);
        }
    }
}

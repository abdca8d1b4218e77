using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Dapper;
using Market.Api.Application.Engine;
using Market.Api.Infrastructure.Chain;
using Market.Api.Infrastructure.Data;
using Market.Chain;
using Market.Chain.Bids;
using Market.Chain.Contracts;
using Market.Matching.Engine;
using Market.Matching.Model;
using Market.Protocol.Jobs;
using Esc = Market.Chain.Contracts.LeaseEscrow.ContractDefinition;

namespace Market.Api.Application.Leases;

/// <summary>
/// Turns matched bids into on-chain leases with the MATCHER key. Before sending it asks the chain
/// whether the bid's nonce is already used, so a restart between sending and recording never opens
/// a lease twice. A revert that concerns the offer (capacity gone, expired, withdrawn) returns the
/// bid to the book; one that concerns the bid (expired, underfunded, bad signature, nonce used
/// elsewhere) rejects the job with the chain's reason and gives the offer its capacity back.
/// </summary>
public sealed class LeaseOpener(
    ChainContext chain, Database db, EngineHost engine, MatchedJobs matched, ConstraintNames names, LeaseDispatcher dispatcher,
    TimeProvider clock, ILogger<LeaseOpener> log) : BackgroundService
{
    private const int Parallelism = 8;

    private sealed record MatchedJob(long Id, string Consumer, long ComputeType, long Grade, long MilliNcu, string MaxPrice,
        long MaxDurationSec, long MinUptimeBps, string SpecHash, string ConstraintsHash, string Nonce, long DeadlineSec,
        string Signature, long OfferId, string Price, string SpecJson);

    private static readonly string[] OfferSideErrors =
    [
        "OfferBookCapacityExhausted", "OfferBookOfferExpired", "OfferBookOfferNotActive", "OfferBookProviderNotActive",
        "LeaseEscrowPriceBelowOffer", "LeaseEscrowGradeMismatch", "LeaseEscrowComputeTypeMismatch", "LeaseEscrowUptimeTooLow",
        "LeaseEscrowDurationTooLong", "EnforcedPause",
    ];

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        var ch = chain.TryGet();
        if (ch?.Matcher is null) { log.LogInformation("no chain or MATCHER key configured; leases are not opened"); return; }
        await engine.Ready.WaitAsync(stop);
        using var gate = new SemaphoreSlim(Parallelism);
        // Matches recorded before a restart first, then new ones as they come.
        foreach (var id in await PendingAsync(stop)) matched.Post(id);
        await foreach (var jobId in matched.Reader.ReadAllAsync(stop))
        {
            await gate.WaitAsync(stop);
            _ = Task.Run(async () =>
            {
                try { await OpenAsync(ch, jobId, stop); _attempts.TryRemove(jobId, out _); }
                catch (OperationCanceledException) { }
                catch (Exception e) { RetryLater(jobId, e, stop); }
                finally { gate.Release(); }
            }, stop);
        }
    }

    private async Task<IReadOnlyList<long>> PendingAsync(CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<long>("SELECT id FROM jobs WHERE status IN ('matched', 'opening') ORDER BY id")).ToList();
    }

    private async Task OpenAsync(ChainContext.Loaded ch, long jobId, CancellationToken ct)
    {
        MatchedJob? job;
        bool firstTry;
        await using (var c = await db.OpenAsync(ct))
        {
            job = await c.QuerySingleOrDefaultAsync<MatchedJob>(new CommandDefinition("""
                SELECT id, consumer, compute_type AS ComputeType, grade, milli_ncu AS MilliNcu, max_price AS MaxPrice, max_duration_sec AS MaxDurationSec,
                    min_uptime_bps AS MinUptimeBps, spec_hash AS SpecHash, constraints_hash AS ConstraintsHash, nonce, deadline_sec AS DeadlineSec,
                    signature, offer_id AS OfferId, price, spec_json AS SpecJson
                FROM jobs WHERE id = @jobId AND status IN ('matched', 'opening')
                """, new { jobId }, cancellationToken: ct));
            if (job is null) return;
            firstTry = await c.ExecuteAsync(new CommandDefinition("UPDATE jobs SET status = 'opening', updated_at = @now WHERE id = @jobId AND status = 'matched'",
                new { now = clock.GetUtcNow().ToUnixTimeMilliseconds(), jobId }, cancellationToken: ct)) == 1;
        }
        var bid = ToBid(job);
        // Only a job already 'opening' (a restart between send and record) can have been sent: a first
        // try skips the call, one RPC less per lease. A nonce another bid used makes the send revert (rejected).
        if (!firstTry && await ch.Read.Escrow.IsNonceUsedQueryAsync(bid.Consumer, bid.Nonce, ct: ct))
        {
            // Opened before a restart (the indexer links it), or used by another bid (the indexer
            // shows no lease for this job: reject after the indexer had its chance).
            log.LogInformation("job {Job}: nonce already used on chain; leaving it to the indexer", jobId);
            return;
        }
        try
        {
            var receipt = await ch.Matcher!.Escrow.OpenLeaseRequestAndWaitForReceiptAsync(
                bid, Hex.Decode(job.Signature), job.OfferId, BigInteger.Parse(job.Price, CultureInfo.InvariantCulture), ct);
            var opened = EventDecoding.DecodeSingle<Esc.LeaseOpenedEventDTO>(receipt, ch.Escrow);
            await RecordOpenedAsync(job, opened, receipt.TransactionHash, ct);
            dispatcher.Notify(opened.Provider.ToLowerHex());
        }
        catch (Exception ex) when ((ex as ContractRevertException ?? (ex as TransactionFailedException)?.Revert) is { } e)
        {
            // A revert at estimation, or one mined (another open took the offer's capacity between
            // our estimate and our block): the same verdict either way.
            if (!firstTry && e.ErrorName == "LeaseEscrowNonceUsed")
            {
                // Our own earlier send of this bid may have been mined meanwhile: the indexer decides.
                log.LogInformation("job {Job}: nonce used on chain by the time a retry was mined; leaving it to the indexer", jobId);
                return;
            }
            await FailedAsync(job, e.ErrorName ?? "revert", e.Message, OfferSideErrors.Contains(e.ErrorName), ct);
        }
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, int> _attempts = new();

    /// <summary>
    /// A send or receipt that failed without a verdict (node unreachable, receipt timeout) is tried
    /// again after a backoff (1 s doubling to a minute) instead of leaving the job 'opening' until a
    /// restart; the retry first asks whether the bid's nonce was used meanwhile.
    /// </summary>
    private void RetryLater(long jobId, Exception e, CancellationToken stop)
    {
        var attempt = _attempts.AddOrUpdate(jobId, 1, (_, n) => n + 1);
        var delay = TimeSpan.FromSeconds(Math.Min(60, 1 << Math.Min(6, attempt - 1)));
        log.LogWarning(e, "opening the lease of job {Job} failed (attempt {Attempt}); retrying in {Delay}", jobId, attempt, delay);
        _ = Task.Run(async () =>
        {
            try { await Task.Delay(delay, clock, stop); matched.Post(jobId); }
            catch (OperationCanceledException) { }
        }, stop);
    }

    private async Task RecordOpenedAsync(MatchedJob job, Esc.LeaseOpenedEventDTO e, string txHash, CancellationToken ct)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var id = (long)e.LeaseId;
        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        await c.ExecuteAsync(new CommandDefinition("""
            INSERT INTO leases (id, job_id, consumer, provider, offer_id, job_spec_hash, milli_ncu, price, max_duration_sec, lock_amount,
                start_sec, status, open_tx, updated_block)
            VALUES (@id, @job, @consumer, @provider, @offer, @hash, @m, @price, @dur, @lock, @start, 'open', @txHash, 0)
            ON CONFLICT (id) DO NOTHING
            """, new
        {
            id, job = job.Id, consumer = job.Consumer, provider = e.Provider.ToLowerHex(), offer = (long)e.OfferId, hash = Hex.Encode(e.JobSpecHash),
            m = (long)e.MilliNcu, price = e.PricePerNcuHour.ToString(CultureInfo.InvariantCulture), dur = (long)e.MaxDurationSec,
            @lock = e.LockAmount.ToString(CultureInfo.InvariantCulture), start = (long)e.StartTime, txHash,
        }, tx, cancellationToken: ct));
        var changed = await c.ExecuteAsync(new CommandDefinition("""
            UPDATE jobs SET status = 'leased', lease_id = @id, provider = @provider, updated_at = @now
            WHERE id = @job AND status IN ('matched', 'opening')
            """, new { id, provider = e.Provider.ToLowerHex(), now, job = job.Id }, tx, cancellationToken: ct));
        if (changed == 1) await JobTimeline.AppendAsync(c, tx, job.Id, "leased", $"lease {id} opened in {txHash}", now, ct);
        await tx.CommitAsync(ct);
    }

    private async Task FailedAsync(MatchedJob job, string error, string message, bool offerSide, CancellationToken ct)
    {
        log.LogWarning("openLease for job {Job} reverted with {Error}", job.Id, error);
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await using (var c = await db.OpenAsync(ct))
        {
            await using var tx = await c.BeginTransactionAsync(ct);
            var status = offerSide ? "open" : "rejected";
            var changed = await c.ExecuteAsync(new CommandDefinition(
                "UPDATE jobs SET status = @status, offer_id = NULL, price = NULL, updated_at = @now WHERE id = @id AND status = 'opening'",
                new { status, now, id = job.Id }, tx, cancellationToken: ct));
            if (changed == 1)
                await JobTimeline.AppendAsync(c, tx, job.Id, status, (offerSide ? "back in the book: " : "the chain refused the lease: ") + message, now, ct);
            await tx.CommitAsync(ct);
            if (changed == 0) return;
        }
        if (offerSide)
        {
            // An offer the chain will never fill again leaves the book first, or the returned bid
            // would match it again at once and spin (the indexer records no deactivation of a
            // jailed provider's offers, and the chain is the judge anyway).
            foreach (var dead in await DeadOffersAsync(error, job.OfferId, ct))
                await engine.SubmitAsync(Command.CancelOffer(0, 0, dead), ct);
            var spec = JsonSerializer.Deserialize<JobSpec>(job.SpecJson, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
            var original = Command.Bid(0, 0, job.Id, (ComputeType)job.ComputeType, (byte)job.Grade, (ulong)job.MilliNcu,
                long.Parse(job.MaxPrice, CultureInfo.InvariantCulture), job.DeadlineSec, (uint)job.MaxDurationSec,
                await names.CompileAsync(spec.Constraints, ct));
            await engine.SubmitAsync(Command.Return(0, original, job.OfferId), ct);
        }
        else await engine.SubmitAsync(Command.Release(0, 0, job.OfferId, (ulong)job.MilliNcu), ct);
    }

    /// <summary>The offers a revert proves unusable: all of a provider that is no longer active, or the one offer.</summary>
    private async Task<IReadOnlyList<long>> DeadOffersAsync(string error, long offerId, CancellationToken ct)
    {
        if (error is "OfferBookOfferNotActive" or "OfferBookOfferExpired") return [offerId];
        if (error != "OfferBookProviderNotActive") return [];
        await using var c = await db.OpenAsync(ct);
        var ids = (await c.QueryAsync<long>(new CommandDefinition("""
            SELECT id FROM offers WHERE provider = (SELECT provider FROM offers WHERE id = @offerId) AND status = 'active'
            """, new { offerId }, cancellationToken: ct))).ToList();
        if (!ids.Contains(offerId)) ids.Add(offerId);
        return ids;
    }

    private static Bid ToBid(MatchedJob j) => new()
    {
        Consumer = Address.Parse(j.Consumer),
        JobSpecHash = Hex.Decode(j.SpecHash),
        ComputeType = (byte)j.ComputeType,
        Grade = (byte)j.Grade,
        MilliNcu = (ulong)j.MilliNcu,
        MaxPricePerNcuHour = BigInteger.Parse(j.MaxPrice, CultureInfo.InvariantCulture),
        MaxDurationSec = (uint)j.MaxDurationSec,
        MinUptimeBps = (ushort)j.MinUptimeBps,
        ConstraintsHash = Hex.Decode(j.ConstraintsHash),
        Nonce = BigInteger.Parse(j.Nonce, CultureInfo.InvariantCulture),
        Deadline = (ulong)j.DeadlineSec,
    };
}

using System.Collections.Concurrent;
using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Dapper;
using Market.Api.Application.Engine;
using Market.Api.Application.Validations;
using Market.Api.Infrastructure.Chain;
using Market.Api.Infrastructure.Data;
using Market.Chain;
using Market.Chain.Bids;
using Market.Chain.Crypto;
using Market.Chain.Json;
using Market.Matching.Engine;
using Market.Matching.Model;
using Market.Protocol.Jobs;
using MediatR;

namespace Market.Api.Application.Jobs;

/// <summary>
/// Accepts a signed job only when everything the chain will check later already holds — the
/// signature, the spec hash, the bid/spec agreement, the deadline, the nonce and enough free
/// escrow — so a job that reaches the engine can really become a lease. Nothing is stored when a
/// check fails.
/// </summary>
public sealed class SubmitJobHandler(
    Database db, ChainContext chain, ChainClock chainClock, EngineHost engine, ConstraintNames names, JobIds ids, PendingLocks pending, TimeProvider clock)
    : IRequestHandler<SubmitJob, JobAccepted>
{
    /// <summary>One submission at a time per consumer, so two bids cannot both spend the same free escrow.</summary>
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> ConsumerGates = new();

    private static readonly JsonSerializerOptions SpecJson = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict,
    };

    public async Task<JobAccepted> Handle(SubmitJob c, CancellationToken ct)
    {
        var ch = chain.Require();
        var bid = c.Bid.ToBid();
        var consumer = bid.Consumer.ToLowerHex();
        if (consumer != c.Caller) throw MarketException.Forbidden("the bid's consumer is not the signed-in wallet");

        var spec = ParseSpec(c.Spec);
        var specCanonical = Canonical(c.Spec);
        var specHash = Keccak256.Hash(System.Text.Encoding.UTF8.GetBytes(specCanonical));
        if (!specHash.AsSpan().SequenceEqual(bid.JobSpecHash))
            throw MarketException.Invalid("spec-hash-mismatch", $"jobSpecHash is not the Keccak-256 of the spec's canonical JSON (expected {Hex.Encode(specHash)})");
        CheckAgreement(spec, c.Spec, bid);

        // The escrow checks the deadline against block time, so this check does too.
        var now = await chainClock.NowAsync(ct);
        if ((long)bid.Deadline <= now) throw MarketException.Invalid("bid-expired", $"the bid's deadline {bid.Deadline} has passed (now {now})");
        var signature = Hex.Decode(c.Signature);
        if (!ch.Bids.Verify(bid, signature))
            throw MarketException.Invalid("bad-signature", "the signature does not recover to the bid's consumer for this chain and escrow");

        var price = (long)bid.MaxPricePerNcuHour;
        if (!Money.TryLockAmount(bid.MilliNcu, bid.MaxDurationSec, (ulong)price, out var maxLock))
            throw MarketException.Invalid("amount-overflow", "milliNcu × maxDurationSec × price does not fit");
        var bidHash = Hex.Encode(ch.Bids.Hash(bid));
        var constraints = await names.CompileAsync(spec.Constraints, ct);

        var gate = ConsumerGates.GetOrAdd(consumer, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        long jobId;
        try
        {
            await using var conn = await db.OpenAsync(ct);
            if (c.RequestId is not null)
            {
                var prior = await conn.QuerySingleOrDefaultAsync<(long Id, string BidHash, string Status)?>(new CommandDefinition(
                    "SELECT id, bid_hash, status FROM jobs WHERE request_id = @r", new { r = c.RequestId }, cancellationToken: ct));
                if (prior is { } p)
                    return p.BidHash == bidHash ? new JobAccepted(p.Id, p.Status, Duplicate: true)
                        : throw MarketException.Conflict("request-id-reused", "this requestId was used for a different bid");
            }
            var nonce = bid.Nonce.ToString(CultureInfo.InvariantCulture);
            await CheckNonceAndEscrowAsync(conn, consumer, nonce, maxLock, ct);
            await conn.DisposeAsync(); // give the connection back before waiting on the engine (disposing twice is harmless)

            jobId = ids.Next();
            var at = clock.GetUtcNow().ToUnixTimeMilliseconds();
            var row = new
            {
                jobId, requestId = c.RequestId, consumer, specCanonical, specHash = Hex.Encode(specHash), bidHash,
                signature = c.Signature.ToLowerInvariant(), type = (long)bid.ComputeType, grade = (long)bid.Grade, m = (long)bid.MilliNcu,
                price = price.ToString(CultureInfo.InvariantCulture), dur = (long)bid.MaxDurationSec, uptime = (long)bid.MinUptimeBps,
                constraintsHash = Hex.Encode(bid.ConstraintsHash), nonce, deadline = (long)bid.Deadline, maxLock = maxLock.ToString(), at,
            };
            // The job row is written by the engine's single writer in the same transaction as the
            // bid's journal entry: one commit per batch of submissions, and never a job without its bid.
            var id = jobId;
            // Counted before the engine commits, so the cached total is never short (a bid refused
            // below leaves a phantom lock until the next re-read).
            pending.Add(consumer, maxLock);
            try
            {
                await engine.SubmitAsync(Command.Bid(0, 0, jobId, (ComputeType)bid.ComputeType, bid.Grade, bid.MilliNcu, price,
                    (long)bid.Deadline, bid.MaxDurationSec, constraints), ct, async (conn, tx, token) =>
                {
                    var inserted = await conn.ExecuteAsync(new CommandDefinition("""
                        INSERT INTO jobs (id, request_id, consumer, status, spec_json, spec_hash, bid_hash, signature, compute_type, grade,
                            milli_ncu, max_price, max_duration_sec, min_uptime_bps, constraints_hash, nonce, deadline_sec, max_lock, created_at, updated_at)
                        VALUES (@jobId, @requestId, @consumer, 'submitted', @specCanonical, @specHash, @bidHash, @signature, @type, @grade,
                            @m, @price, @dur, @uptime, @constraintsHash, @nonce, @deadline, @maxLock, @at, @at)
                        ON CONFLICT DO NOTHING
                        """, row, tx, cancellationToken: token));
                    if (inserted == 0) return false;
                    await JobTimeline.AppendAsync(conn, tx, id, "submitted", null, at, token);
                    return true;
                });
            }
            catch (EngineHost.RowConflictException)
            {
                throw MarketException.Conflict("duplicate-bid", "this bid (its hash, nonce or requestId) was already submitted");
            }
        }
        finally { gate.Release(); }

        return new JobAccepted(jobId, "submitted", Duplicate: false);
    }

    private static readonly JobSpecValidator SpecValidator = new();

    private static JobSpec ParseSpec(JsonElement raw)
    {
        JobSpec? spec;
        try { spec = raw.Deserialize<JobSpec>(SpecJson); }
        catch (JsonException e) { throw MarketException.Invalid("bad-spec", $"spec: {e.Message}"); }
        if (spec is null) throw MarketException.Invalid("bad-spec", "spec must be a JSON object");
        var result = SpecValidator.Validate(spec);
        if (!result.IsValid)
            // Materialised: the exception enumerates its errors more than once (message, then the
            // problem details), and a lazy rename would prefix "spec." each time.
            throw new FluentValidation.ValidationException(result.Errors
                .Select(e => new FluentValidation.Results.ValidationFailure("spec." + e.PropertyName, e.ErrorMessage, e.AttemptedValue)).ToList());
        return spec;
    }

    private static string Canonical(JsonElement raw)
    {
        try { return CanonicalJson.Serialize(raw); }
        catch (ChainException e) { throw MarketException.Invalid("bad-spec", e.Message); }
    }

    /// <summary>The signed bid must say what the spec says, or the provider would run something else than was priced.</summary>
    private static void CheckAgreement(JobSpec spec, JsonElement raw, Bid bid)
    {
        ulong needed = spec.MilliNcu is { } m ? (ulong)m : NeededFromWork(spec.Work!);
        void Must(bool ok, string field, string detail)
        {
            if (!ok) throw MarketException.Invalid("bid-spec-mismatch", $"bid.{field}: {detail}");
        }
        Must(bid.ComputeType == spec.ComputeType, "computeType", $"is {bid.ComputeType}, the spec says {spec.ComputeType}");
        Must(bid.MilliNcu == needed, "milliNcu", $"is {bid.MilliNcu}, the spec needs {needed}");
        Must(bid.Grade == Grades.GradeOf(needed), "grade", $"is {bid.Grade}, {needed} mNCU is grade {Grades.GradeOf(needed)}");
        Must(bid.MaxDurationSec == (uint)spec.MaxDurationSec, "maxDurationSec", $"is {bid.MaxDurationSec}, the spec says {spec.MaxDurationSec}");
        var uptime = spec.Constraints?.MinUptimeBps ?? 0;
        Must(bid.MinUptimeBps == uptime, "minUptimeBps", $"is {bid.MinUptimeBps}, the spec's constraints say {uptime}");
        var constraintsHash = ConstraintsHash(raw);
        Must(bid.ConstraintsHash.AsSpan().SequenceEqual(constraintsHash), "constraintsHash",
            $"must be {Hex.Encode(constraintsHash)} (Keccak-256 of the canonical constraints, or zero without constraints)");
    }

    /// <summary>DESIGN §2 demand model in integers: ceil(W[GFLOP] / (τ × η)) with η = 1/2.</summary>
    public static ulong NeededFromWork(JobWork w) =>
        (ulong)((new BigInteger(w.Gflop) * 2 + w.DeadlineSec - 1) / w.DeadlineSec);

    /// <summary>Keccak-256 of the canonical JSON of the spec's "constraints" member as sent; zero when absent or null.</summary>
    public static byte[] ConstraintsHash(JsonElement rawSpec) =>
        rawSpec.TryGetProperty("constraints", out var c) && c.ValueKind != JsonValueKind.Null
            ? Keccak256.Hash(System.Text.Encoding.UTF8.GetBytes(CanonicalJson.Serialize(c)))
            : new byte[32];

    /// <summary>
    /// The nonce is unused and the free escrow (indexed balance minus what pending jobs may lock)
    /// covers this bid. The pending total comes from <see cref="PendingLocks"/>; only a bid that
    /// the cached total would refuse pays for a fresh one.
    /// </summary>
    private async Task CheckNonceAndEscrowAsync(System.Data.Common.DbConnection conn, string consumer, string nonce, UInt128 maxLock, CancellationToken ct)
    {
        var rows = await conn.QueryAsync<(string Kind, string? Value)>(new CommandDefinition("""
            SELECT 'n' AS kind, nonce AS value FROM jobs WHERE consumer = @consumer AND nonce = @nonce
            UNION ALL SELECT 'f', free FROM escrow_balances WHERE address = @consumer
            """, new { consumer, nonce }, cancellationToken: ct));
        var free = BigInteger.Zero;
        foreach (var (kind, value) in rows)
        {
            if (kind == "n") throw MarketException.Conflict("nonce-used", $"nonce {nonce} was already used by this consumer");
            free = BigInteger.Parse(value ?? "0", CultureInfo.InvariantCulture);
        }
        var (committed, fresh) = await pending.TotalAsync(conn, consumer, refresh: false, ct);
        if (free - (BigInteger)committed < (BigInteger)maxLock && !fresh)
            (committed, _) = await pending.TotalAsync(conn, consumer, refresh: true, ct);
        var available = free - (BigInteger)committed;
        if (available < (BigInteger)maxLock)
            throw new MarketException(StatusCodes.Status402PaymentRequired, "insufficient-escrow",
                $"the bid can lock up to {maxLock} base units but only {BigInteger.Max(available, 0)} are free in escrow; deposit more");
    }
}

using System.Data.Common;
using System.Threading.Channels;
using Market.Api.Infrastructure.Data;
using Market.Matching.Engine;

namespace Market.Api.Application.Engine;

/// <summary>
/// Hosts the matching engine as a single writer. API callers post commands through
/// <see cref="SubmitAsync"/>; the chain indexer leaves commands in the database outbox and calls
/// <see cref="SignalOutbox"/>. One loop drains both in batches: it stamps sequence numbers and the
/// time, journals the batch (removing outbox rows in the same transaction), applies it, and hands
/// the events to <see cref="EngineEventWriter"/>. Batching shares the cost of a commit, which is
/// what lets the engine take thousands of HTTP bids a second on SQLite.
/// </summary>
public sealed class EngineHost : BackgroundService, IMatchingEventSink
{
    private const int MaxBatch = 512;

    private readonly Channel<Pending> _inbox = Channel.CreateBounded<Pending>(new BoundedChannelOptions(16_384)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });
    private readonly EngineJournal _journal;
    private readonly EngineEventWriter _writer;
    private readonly TimeProvider _clock;
    private readonly ILogger<EngineHost> _log;
    private readonly MatchingEngine _engine;
    private readonly List<MatchingEvent> _events = new(1024);
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TimeSpan _tickEvery;
    private long _seq;
    private int _outboxSignalled;

    /// <summary>Writes the row a command belongs to (a job) in the batch transaction; false when it conflicts.</summary>
    public delegate Task<bool> RowWriter(DbConnection c, DbTransaction tx, CancellationToken ct);

    private readonly record struct Pending(Command Command, TaskCompletionSource<long>? Done, string? Origin, RowWriter? Row = null);

    private readonly OrphanBids _orphans;
    private readonly Database _db;

    public EngineHost(Database db, EngineJournal journal, EngineEventWriter writer, OrphanBids orphans, TimeProvider clock, ILogger<EngineHost> log,
        EngineConfig config, IConfiguration settings)
    {
        _db = db;
        _orphans = orphans;
        _journal = journal;
        _writer = writer;
        _clock = clock;
        _log = log;
        _engine = new MatchingEngine(config, this);
        _tickEvery = TimeSpan.FromSeconds(settings.GetValue<double?>("Market:Engine:TickSeconds") ?? 5);
    }

    /// <summary>Completes once the journal has been replayed and new commands are being applied.</summary>
    public Task Ready => _ready.Task;

    /// <summary>Resting bids and live offers, for health and metrics (read racily, which is fine for that).</summary>
    public (int Bids, int Offers) Size => (_engine.RestingBids, _engine.LiveOffers);

    /// <summary>
    /// Queues a command (its Seq and Time are assigned by the host) and returns its sequence number
    /// once it is journaled and applied, with its events persisted.
    /// </summary>
    /// <param name="row">Stored in the same transaction as the command's journal entry and its events
    /// (so a job and its bid exist together or not at all); when it conflicts the command is dropped and
    /// the call fails with <see cref="RowConflictException"/>.</param>
    public async Task<long> SubmitAsync(Command command, CancellationToken ct = default, RowWriter? row = null)
    {
        var done = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        await _inbox.Writer.WriteAsync(new Pending(command, done, null, row), ct);
        return await done.Task.WaitAsync(ct);
    }

    public sealed class RowConflictException() : Exception("the row already exists");

    /// <summary>New rows are in engine_outbox: move them to the engine soon.</summary>
    public void SignalOutbox()
    {
        if (Interlocked.Exchange(ref _outboxSignalled, 1) == 0)
            _inbox.Writer.TryWrite(default); // a wake-up; an empty Pending carries no command
    }

    void IMatchingEventSink.On(in MatchingEvent e) => _events.Add(e);

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        await ReplayAsync(stop);
        var orphans = await _orphans.FindAsync(_engine.HasBid, stop);
        if (orphans.Count > 0)
        {
            _log.LogWarning("re-submitting {Count} accepted jobs whose bids never reached the journal", orphans.Count);
            foreach (var o in orphans) await _inbox.Writer.WriteAsync(new Pending(o, new TaskCompletionSource<long>(), null), stop);
        }
        _ready.TrySetResult();
        SignalOutbox(); // rows left by the indexer before a restart
        using var ticker = new PeriodicTimer(_tickEvery);
        _ = TickAsync(ticker, stop);
        var batch = new List<Pending>(MaxBatch);
        while (await _inbox.Reader.WaitToReadAsync(stop))
        {
            batch.Clear();
            if (Interlocked.Exchange(ref _outboxSignalled, 0) == 1)
                foreach (var (origin, cmd) in await _journal.PeekOutboxAsync(MaxBatch / 2, stop))
                    batch.Add(new Pending(cmd, null, origin));
            while (batch.Count < MaxBatch && _inbox.Reader.TryRead(out var p))
                if (p.Done is not null || p.Origin is not null) batch.Add(p);
            if (batch.Count == MaxBatch / 2 && batch.TrueForAll(p => p.Origin is not null)) SignalOutbox(); // more may wait
            if (batch.Count > 0) await RunBatchAsync(batch, stop);
        }
    }

    /// <summary>
    /// One transaction per batch: the commands' rows (jobs), their journal entries, the outbox
    /// rows they came from and the events they produced. The engine applies the commands in memory
    /// before the commit; if the commit then fails the in-memory book is ahead of the database, so
    /// the host stops and the restart replays the journal (which lacks the batch, like the rows).
    /// </summary>
    private async Task RunBatchAsync(List<Pending> batch, CancellationToken stop)
    {
        var now = _clock.GetUtcNow().ToUnixTimeSeconds();
        var first = _seq;
        var commands = new List<Command>(batch.Count);
        var done = new List<(TaskCompletionSource<long>? Done, long Seq)>(batch.Count);
        var conflicts = new List<TaskCompletionSource<long>>();
        var origins = new List<string>();
        await using var c = await _db.OpenAsync(stop);
        var tx = await c.BeginTransactionAsync(stop);
        try
        {
            foreach (var p in batch)
            {
                if (p.Row is not null && !await p.Row(c, tx, stop))
                {
                    if (p.Done is not null) conflicts.Add(p.Done);
                    continue;
                }
                var cmd = p.Command;
                cmd.Seq = ++_seq;
                cmd.Time = now;
                commands.Add(cmd);
                done.Add((p.Done, cmd.Seq));
                if (p.Origin is { } o) origins.Add(o);
            }
            await EngineJournal.AppendAsync(c, tx, commands, origins, stop);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Nothing is applied yet, so rolling back leaves book and database as they were; callers
            // may retry (with their idempotency key) and outbox rows stay for the next round.
            await tx.RollbackAsync(CancellationToken.None);
            await tx.DisposeAsync();
            _log.LogError(e, "recording a batch of {Count} engine commands failed", batch.Count);
            _seq = first;
            foreach (var p in batch) p.Done?.TrySetException(new MarketException(503, "engine-unavailable", "the matching engine could not record the command; retry"));
            if (batch.Exists(p => p.Origin is not null)) SignalOutbox();
            return;
        }
        var matched = new List<long>();
        try
        {
            _events.Clear();
            foreach (var cmd in commands) _engine.Apply(cmd);
            await _writer.WriteAsync(c, tx, _events, replay: false, matched, stop);
            await tx.CommitAsync(stop);
            await tx.DisposeAsync();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _log.LogCritical(e, "committing a batch of {Count} applied engine commands failed; stopping for replay", batch.Count);
            foreach (var p in batch) p.Done?.TrySetException(e);
            throw;
        }
        _writer.PostMatched(matched);
        foreach (var (tcs, seq) in done) tcs?.TrySetResult(seq);
        foreach (var tcs in conflicts) tcs.TrySetException(new RowConflictException());
    }

    private async Task TickAsync(PeriodicTimer timer, CancellationToken stop)
    {
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
                if (_engine.RestingBids > 0 || _engine.LiveOffers > 0)
                    await SubmitAsync(Command.Tick(0, 0), stop);
        }
        catch (OperationCanceledException) { }
        catch (Exception e) { _log.LogWarning(e, "engine tick failed"); }
    }

    private async Task ReplayAsync(CancellationToken stop)
    {
        var n = 0;
        _events.Clear();
        await foreach (var c in _journal.ReadAllAsync(stop))
        {
            _engine.Apply(c);
            _seq = c.Seq;
            n++;
            // Side effects are idempotent (conditional status updates), so re-writing events of
            // commands whose effects were already stored before a crash changes nothing.
            if (_events.Count >= 4096) { await _writer.WriteAsync(_events, replay: true, stop); _events.Clear(); }
        }
        await _writer.WriteAsync(_events, replay: true, stop);
        _events.Clear();
        if (n > 0) _log.LogInformation("replayed {Count} journaled engine commands up to seq {Seq}", n, _seq);
    }
}

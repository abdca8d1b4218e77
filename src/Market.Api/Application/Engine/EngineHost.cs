using System.Threading.Channels;
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

    private readonly record struct Pending(Command Command, TaskCompletionSource<long>? Done, string? Origin);

    private readonly OrphanBids _orphans;

    public EngineHost(EngineJournal journal, EngineEventWriter writer, OrphanBids orphans, TimeProvider clock, ILogger<EngineHost> log,
        EngineConfig config, IConfiguration settings)
    {
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
    public async Task<long> SubmitAsync(Command command, CancellationToken ct = default)
    {
        var done = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        await _inbox.Writer.WriteAsync(new Pending(command, done, null), ct);
        return await done.Task.WaitAsync(ct);
    }

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

    private async Task RunBatchAsync(List<Pending> batch, CancellationToken stop)
    {
        var now = _clock.GetUtcNow().ToUnixTimeSeconds();
        var commands = new List<Command>(batch.Count);
        var origins = new List<string>();
        var first = _seq;
        for (int i = 0; i < batch.Count; i++)
        {
            var c = batch[i].Command;
            c.Seq = ++_seq;
            c.Time = now;
            commands.Add(c);
            if (batch[i].Origin is { } o) origins.Add(o);
        }
        try
        {
            await _journal.AppendAsync(commands, stop, origins);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Nothing was journaled, so nothing is applied: the book is unchanged; callers may
            // retry with their idempotency key and outbox rows stay for the next round.
            _log.LogError(e, "journaling a batch of {Count} engine commands failed", batch.Count);
            _seq = first;
            foreach (var p in batch) p.Done?.TrySetException(new MarketException(503, "engine-unavailable", "the matching engine could not record the command; retry"));
            if (origins.Count > 0) SignalOutbox();
            return;
        }
        try
        {
            _events.Clear();
            foreach (var c in commands) _engine.Apply(c);
            await _writer.WriteAsync(_events, replay: false, stop);
            for (int i = 0; i < batch.Count; i++) batch[i].Done?.TrySetResult(commands[i].Seq);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The commands are journaled and applied; only their side effects failed to persist.
            // Stop: the restart replays the journal and writes them (idempotently), which is safer
            // than running on with a gap.
            _log.LogCritical(e, "persisting the events of {Count} engine commands failed; stopping for replay", batch.Count);
            foreach (var p in batch) p.Done?.TrySetException(e);
            throw;
        }
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

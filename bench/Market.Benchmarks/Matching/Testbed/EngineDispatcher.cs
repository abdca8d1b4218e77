using Market.Matching.Constraints;
using Market.Matching.Engine;
using Market.Matching.Model;

namespace Market.Benchmarks.Matching.Testbed;

/// <summary>
/// Our strategy: the tasks go through the real matching engine, as the market would run them.
/// Each node posts one offer of its whole capacity in the Parallel / medium market; each task is
/// a whole bid for the mNCU the demand model says it needs. A match reserves that capacity on the
/// node until the task finishes (then ReleaseCapacity); a task that finds no node with room rests
/// in the book and is served, in bid priority (equal max prices ⇒ arrival order), by the first
/// release that fits it. The offers are priced queue-aware: before each bid and after each
/// completion a node's ask is its predicted response time for a mean task (network + backlog +
/// W̄ / capacity, in µs), so "cheapest eligible offer with enough free capacity" means "the node
/// expected to answer first, among those with room". The ask also rises with the node's recent
/// utilisation (congestion pricing, see <see cref="Price"/>), so no node hogs the work.
/// Differences from GR, both honest: the price
/// uses the mean task, not the task's own W (an offer cannot know each bid's work); and capacity
/// reservations bound every node's queue, so late tasks wait in the market for the first node
/// to free up instead of binding early to a queue.
/// </summary>
public sealed class EngineDispatcher : IMatchingEventSink
{
    private const long T0 = CommandStreams.T0;
    private readonly List<(long Bid, long Offer)> _matches = new();

    /// <summary>How far back a node looks at the work it took on (seconds): its recent utilisation.</summary>
    public const double UtilisationWindowSeconds = 10;

    /// <summary>
    /// Surge factor of the ask: ask = predicted response × (1 + Surge · utilisation). With 30 the
    /// utilisation CV is at most round-robin's at every rate, give or take 0.01 (docs/matching.md §7 has the sweep).
    /// </summary>
    public const double Surge = 30;

    private Queue<(double At, double Service)>[] _recent = null!; // per node: work it took on in the window
    private double[] _recentSum = null!;

    public void On(in MatchingEvent e)
    {
        if (e.Kind == EventKind.Matched) _matches.Add((e.BidId, e.OfferId));
    }

    public SimOutcome Run(TestbedModel.SimTask[] tasks)
    {
        int nodes = TestbedModel.NodeMilliNcu.Length;
        var outcome = new SimOutcome { Strategy = "ours" };
        var engine = new MatchingEngine(new EngineConfig { MaxBids = tasks.Length + 1, MaxOffers = 16 }, this);
        var freeAt = new double[nodes];
        _recent = new Queue<(double, double)>[nodes];
        for (int n = 0; n < nodes; n++) _recent[n] = new();
        _recentSum = new double[nodes];
        var price = new long[nodes];
        var done = new PriorityQueue<(int Node, int Task), double>();
        long seq = 0;
        for (int n = 0; n < nodes; n++)
        {
            ulong c = TestbedModel.NodeMilliNcu[n];
            price[n] = Price(n, 0, freeAt);
            engine.Apply(Command.Offer(++seq, T0, n + 1, ComputeType.Parallel, Grades.GradeOf(c), c, price[n], T0 + 10_000_000, 86_400,
                new OfferAttributes(0, 0, 0, 10_000, 0, ProviderScore.Compute(10_000, 100))));
        }
        int next = 0;
        while (next < tasks.Length || done.Count > 0)
        {
            double t;
            if (done.Count > 0 && (next == tasks.Length || done.TryPeek(out _, out var f) && f <= tasks[next].Arrival))
            {
                done.TryDequeue(out var fin, out t);
                Reprice(engine, ref seq, fin.Node, t, freeAt, price);
                engine.Apply(Command.Release(++seq, T0 + (long)t, fin.Node + 1, tasks[fin.Task].NeedMilliNcu));
            }
            else
            {
                var task = tasks[next];
                t = task.Arrival;
                for (int n = 0; n < nodes; n++) Reprice(engine, ref seq, n, t, freeAt, price);
                engine.Apply(Command.Bid(++seq, T0 + (long)t, next + 1, ComputeType.Parallel, Grades.GradeOf(task.NeedMilliNcu),
                    task.NeedMilliNcu, Pricing.MaxPricePerNcuHour, T0 + 10_000_000, 3_600, BidConstraints.Any));
                next++;
            }
            foreach (var (bid, offer) in _matches)
            {
                int i = (int)bid - 1, n = (int)offer - 1;
                double service = TestbedModel.Service(n, tasks[i].WorkTflop);
                double finish = Math.Max(t + TestbedModel.Network(n), freeAt[n]) + service;
                freeAt[n] = finish;
                outcome.Record(i, n, tasks[i].Arrival, finish, service);
                done.Enqueue((n, i), finish);
                _recent[n].Enqueue((t, service));
                _recentSum[n] += service;
            }
            _matches.Clear();
        }
        return outcome;
    }

    private void Reprice(MatchingEngine engine, ref long seq, int n, double t, double[] freeAt, long[] price)
    {
        long p = Price(n, t, freeAt);
        if (p == price[n]) return;
        price[n] = p;
        engine.Apply(Command.Reprice(++seq, T0 + (long)t, n + 1, p));
    }

    /// <summary>
    /// Node n's ask at time t: its predicted response time for a mean task, in µs (≥ 1: prices are
    /// positive), raised by its recent utilisation — congestion pricing, as a provider that wants to
    /// keep headroom would post. Without the surge term the fastest idle node always wins and the
    /// slow nodes idle (utilisation CV 1.08); with it the engine still sends each bid to the node
    /// that is cheapest, i.e. expected to finish first, but a node that has been taking most of the
    /// work prices itself out until the others have had their share.
    /// </summary>
    private long Price(int n, double t, double[] freeAt)
    {
        double backlog = Math.Max(0, freeAt[n] - t);
        double seconds = TestbedModel.Network(n) + backlog + TestbedModel.Service(n, TestbedModel.MeanWorkTflop);
        return 1 + (long)(seconds * (1 + Surge * RecentUtilisation(n, t)) * 1e6);
    }

    /// <summary>Service time node n accepted in the last window, as a fraction of the window (what the provider itself knows).</summary>
    private double RecentUtilisation(int n, double t)
    {
        var q = _recent[n];
        while (q.Count > 0 && q.Peek().At < t - UtilisationWindowSeconds) _recentSum[n] -= q.Dequeue().Service;
        return Math.Max(0, _recentSum[n]) / UtilisationWindowSeconds;
    }
}

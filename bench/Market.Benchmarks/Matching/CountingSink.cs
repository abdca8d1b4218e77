using Market.Matching.Engine;

namespace Market.Benchmarks.Matching;

/// <summary>
/// A sink that only counts — what a host's ring-buffer writer costs at least, and allocation-free.
/// With <see cref="Matches"/> set it also records (offer, mNCU) of each match, which the stream
/// generator needs to emit only valid releases. One class for both on purpose: a host has one sink
/// type, and the JIT's profile-guided devirtualisation of the engine's sink call is trained while
/// the generator runs; a second sink class there made every timed event a failed guess.
/// </summary>
public sealed class CountingSink : IMatchingEventSink
{
    public long Events, Matched, Rejected;
    public long MatchedMilliNcu;
    public List<(long Offer, ulong M)>? Matches;

    public void On(in MatchingEvent e)
    {
        Events++;
        if (e.Kind == EventKind.Matched)
        {
            Matched++;
            MatchedMilliNcu += (long)e.MilliNcu;
            Matches?.Add((e.OfferId, e.MilliNcu));
        }
        else if (e.Kind == EventKind.Rejected) Rejected++;
    }
}

using Market.Matching.Engine;

namespace Market.Benchmarks.Matching;

/// <summary>A sink that only counts — what a host's ring-buffer writer costs at least, and allocation-free.</summary>
public sealed class CountingSink : IMatchingEventSink
{
    public long Events, Matched, Rejected;
    public long MatchedMilliNcu;

    public void On(in MatchingEvent e)
    {
        Events++;
        if (e.Kind == EventKind.Matched) { Matched++; MatchedMilliNcu += (long)e.MilliNcu; }
        else if (e.Kind == EventKind.Rejected) Rejected++;
    }
}

/// <summary>Records matches (offer, mNCU) so a stream generator can emit only valid releases.</summary>
internal sealed class MatchLog : IMatchingEventSink
{
    public readonly List<(long Offer, ulong M)> Matches = new();
    public int Rejected;

    public void On(in MatchingEvent e)
    {
        if (e.Kind == EventKind.Matched) Matches.Add((e.OfferId, e.MilliNcu));
        else if (e.Kind == EventKind.Rejected) Rejected++;
    }
}

using Market.Matching.Engine;

namespace Market.Matching.Tests;

/// <summary>Collects every event; tests only.</summary>
internal sealed class RecordingSink : IMatchingEventSink
{
    public List<MatchingEvent> Events { get; } = new();

    public void On(in MatchingEvent e) => Events.Add(e);

    public List<MatchingEvent> Of(EventKind kind) => Events.FindAll(e => e.Kind == kind);

    public MatchingEvent Last => Events[^1];

    public void Clear() => Events.Clear();
}

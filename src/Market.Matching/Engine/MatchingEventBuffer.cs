namespace Market.Matching.Engine;

/// <summary>
/// A ready-made sink for a host loop: collects the events of one or more commands into a reused
/// array; the host reads <see cref="Events"/> after <c>Apply</c>, publishes them, then calls
/// <see cref="Clear"/>. It allocates only when a command emits more events than ever before
/// (the array doubles), so in steady state a command allocates nothing.
/// </summary>
public sealed class MatchingEventBuffer(int initialCapacity = 1_024) : IMatchingEventSink
{
    private MatchingEvent[] _items = new MatchingEvent[Math.Max(1, initialCapacity)];

    public int Count { get; private set; }

    public ReadOnlySpan<MatchingEvent> Events => _items.AsSpan(0, Count);

    public void On(in MatchingEvent e)
    {
        if (Count == _items.Length) Array.Resize(ref _items, _items.Length * 2);
        _items[Count++] = e;
    }

    public void Clear() => Count = 0;
}

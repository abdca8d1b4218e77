namespace Market.Matching.Engine;

/// <summary>
/// Expiry times of one side's orders, as a timing wheel of one-second buckets. Each bucket is an
/// intrusive doubly linked list over the slot arrays, so adding and removing an order are O(1)
/// and a removed order leaves nothing behind (the heap it replaces kept a stale entry for every
/// matched or cancelled order, and a tick popped them all at O(log n) cache misses each — that
/// was 20 % of the engine's time). The wheel covers the <see cref="Span"/> seconds from the
/// cursor; orders further out wait in an <see cref="ExpiryHeap"/> and move into the wheel when
/// the cursor comes within reach of them, so a long-lived order costs one heap push, not a
/// rescan at every turn of the wheel.
/// Order: <see cref="NextDue"/> yields due orders by ascending expiry second and, within a
/// second, in the order they entered that bucket (placement order, then overflow arrivals) —
/// deterministic, like everything else in the engine.
/// </summary>
internal sealed class ExpiryWheel
{
    /// <summary>Seconds the wheel covers (a power of two); longer lifetimes go to the overflow heap.</summary>
    public const int Span = 1024;
    private const int Mask = Span - 1;
    private const int Nil = -1;
    private const byte None = 0, InWheel = 1, InHeap = 2;

    private readonly int[] _head = new int[Span], _tail = new int[Span];
    // Everything about one slot in one place: an add or remove touches one cache line per slot involved.
    private struct Link
    {
        public long At;
        public int Next, Prev;
        public uint Gen; // bumped per Add: tells live overflow entries from stale ones
        public byte Where;
    }

    private readonly Link[] _l;
    private readonly ExpiryHeap _overflow;
    private readonly Func<int, uint, bool> _overflowLive;
    // Times past this never expire: keeps cursor + 1 and the window arithmetic clear of overflow.
    private const long Horizon = long.MaxValue - 2 * Span;

    private long _cursor; // every order with expiry < _cursor has been yielded; the wheel holds [_cursor, _cursor + Span)
    private bool _started;
    private int _count; // orders in the wheel (not the heap)

    public ExpiryWheel(int slots)
    {
        _l = new Link[slots];
        _overflow = new ExpiryHeap(slots);
        _overflowLive = (s, g) => _l[s].Where == InHeap && _l[s].Gen == g;
        Array.Fill(_head, Nil);
        Array.Fill(_tail, Nil);
    }

    /// <summary>Orders in the wheel plus live and stale entries in the overflow heap (for tests).</summary>
    public int Pending => _count + _overflow.Count;

    /// <summary>
    /// Tracks slot's expiry <paramref name="at"/>; the engine guarantees at &gt; <paramref name="now"/>
    /// (it rejects orders expired on arrival) and that the cursor never passed now + 1.
    /// </summary>
    public void Add(int slot, long at, long now)
    {
        if (!_started)
        {
            _started = true;
            _cursor = Math.Min(now, Horizon) + 1;
        }
        ref var x = ref _l[slot];
        x.At = at;
        x.Gen++;
        if (InWindow(at)) Append(slot, at);
        else
        {
            x.Where = InHeap;
            _overflow.Push(at, slot, x.Gen, _overflowLive);
        }
    }

    /// <summary>Stops tracking slot (matched, cancelled or expired). A heap entry just goes stale.</summary>
    public void Remove(int slot)
    {
        ref var x = ref _l[slot];
        if (x.Where == InWheel)
        {
            int n = x.Next, p = x.Prev;
            int b = (int)(x.At & Mask);
            if (p == Nil) _head[b] = n; else _l[p].Next = n;
            if (n == Nil) _tail[b] = p; else _l[n].Prev = p;
            _count--;
        }
        x.Where = None;
    }

    /// <summary>
    /// A tracked slot whose expiry is ≤ <paramref name="now"/>, earliest second first, or −1. The
    /// caller removes it (so this is called again until it answers −1); the cursor advances past
    /// empty seconds and jumps when the wheel is empty, so a tick after a long pause costs at
    /// most <see cref="Span"/> bucket visits.
    /// </summary>
    public int NextDue(long now)
    {
        if (!_started) return Nil;
        now = Math.Min(now, Horizon);
        while (true)
        {
            // Orders from the heap that the window now reaches join their bucket first.
            while (_overflow.Count > 0 && InWindow(_overflow.TopAt))
            {
                int s = _overflow.TopSlot;
                bool live = _overflowLive(s, _overflow.TopGen);
                _overflow.Pop();
                if (live) Append(s, _l[s].At);
            }
            if (_cursor > now) return Nil;
            int h = _head[(int)(_cursor & Mask)];
            if (h != Nil) return h;
            if (_count > 0) _cursor++;
            else if (_overflow.Count == 0)
            {
                _cursor = now + 1;
                return Nil;
            }
            else
            {
                // Nothing in the wheel: skip straight to now + 1 or to where the heap's first order enters the window.
                _cursor = Math.Min(now + 1, Math.Max(_cursor + 1, _overflow.TopAt - Span + 1));
            }
        }
    }

    // Callers guarantee at ≥ _cursor; the unsigned difference is then exact even across a sign change.
    private bool InWindow(long at) => (ulong)(at - _cursor) < Span;

    private void Append(int slot, long at)
    {
        int b = (int)(at & Mask);
        int t = _tail[b];
        ref var x = ref _l[slot];
        x.Prev = t;
        x.Next = Nil;
        x.Where = InWheel;
        if (t == Nil) _head[b] = slot; else _l[t].Next = slot;
        _tail[b] = slot;
        _count++;
    }
}

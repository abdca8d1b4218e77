namespace Market.Matching.Engine;

/// <summary>
/// The overflow of an <see cref="ExpiryWheel"/>: orders due beyond the wheel's reach, as a binary
/// min-heap of (expiresAt, slot, generation). Removing an order does not
/// touch the heap: its entry goes stale (generation mismatch) and is dropped when it surfaces, so
/// cancel and match stay O(1) here. Entries are 16-byte structs in one array (one cache line per
/// two levels' worth of siblings, not three arrays). Capacity is twice the slot count; when stale
/// entries fill it, <see cref="Compact"/> rebuilds it in place — no allocation, ever.
/// </summary>
internal sealed class ExpiryHeap
{
    private struct Entry
    {
        public long At;
        public int Slot;
        public uint Gen;
    }

    private readonly Entry[] _e;
    private int _count;

    public ExpiryHeap(int slots) => _e = new Entry[Math.Max(4, slots * 2)];

    public int Count => _count;
    public long TopAt => _e[0].At;
    public int TopSlot => _e[0].Slot;
    public uint TopGen => _e[0].Gen;

    /// <summary>Adds an entry; <paramref name="isLive"/> tells compaction which entries still matter.</summary>
    public void Push(long at, int slot, uint gen, Func<int, uint, bool> isLive)
    {
        if (_count == _e.Length) Compact(isLive);
        int i = _count++;
        while (i > 0)
        {
            int p = (i - 1) >> 1;
            if (_e[p].At <= at) break;
            _e[i] = _e[p];
            i = p;
        }
        _e[i] = new Entry { At = at, Slot = slot, Gen = gen };
    }

    public void Pop()
    {
        int last = --_count;
        if (last > 0) SiftDown(0, _e[last]);
    }

    private void SiftDown(int i, Entry x)
    {
        while (true)
        {
            int c = 2 * i + 1;
            if (c >= _count) break;
            if (c + 1 < _count && _e[c + 1].At < _e[c].At) c++;
            if (_e[c].At >= x.At) break;
            _e[i] = _e[c];
            i = c;
        }
        _e[i] = x;
    }

    // Live entries are at most the slot count, half the capacity, so compaction always frees room.
    private void Compact(Func<int, uint, bool> isLive)
    {
        int n = 0;
        for (int i = 0; i < _count; i++)
            if (isLive(_e[i].Slot, _e[i].Gen)) _e[n++] = _e[i];
        _count = n;
        for (int i = n / 2 - 1; i >= 0; i--) SiftDown(i, _e[i]);
    }
}

using System.Numerics;
using System.Runtime.CompilerServices;

namespace Market.Matching.Engine;

/// <summary>
/// Order id → slot, open addressing with linear probing and backward-shift deletion (no
/// tombstones, so a long run of place/cancel never degrades it). Sized to a power of two at least
/// twice the slot count, so the load factor stays ≤ 0.5 and it never grows or allocates. Faster
/// than Dictionary here because it stores no hash codes or next links and never checks versions.
/// Ids are sequential in practice (offer ids from the chain, bid ids from the API), and live
/// orders are the recent ones, so the hash keeps the low bits (consecutive ids land in
/// consecutive slots: the live window stays in a few cache lines instead of one miss per lookup)
/// and folds the high bits in, so strided or sparse ids still spread. Same layout on every replay.
/// </summary>
internal sealed class IdIndex
{
    private const int Empty = -1;

    // Key and value side by side: a lookup touches one cache line, not one in each of two arrays.
    private struct Entry
    {
        public long Key;
        public int Value;
    }

    private readonly Entry[] _e;
    private readonly int _mask;
    private readonly int _shift;

    public IdIndex(int maxEntries)
    {
        int cap = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(4, maxEntries * 2));
        _e = new Entry[cap];
        for (int i = 0; i < cap; i++) _e[i].Value = Empty;
        _mask = cap - 1;
        _shift = BitOperations.Log2((uint)cap);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Home(long key)
    {
        ulong k = (ulong)key;
        return (int)((k ^ (k >> _shift) ^ (k >> 41)) & (ulong)_mask);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryGetValue(long key, out int value)
    {
        int i = Home(key);
        while (true)
        {
            ref var e = ref _e[i];
            if (e.Value == Empty) { value = -1; return false; }
            if (e.Key == key) { value = e.Value; return true; }
            i = (i + 1) & _mask;
        }
    }

    public bool ContainsKey(long key) => TryGetValue(key, out _);

    /// <summary>Adds a key known to be absent (callers check first).</summary>
    public void Add(long key, int value)
    {
        int i = Home(key);
        while (_e[i].Value != Empty) i = (i + 1) & _mask;
        _e[i].Key = key;
        _e[i].Value = value;
    }

    public void Remove(long key)
    {
        int i = Home(key);
        while (true)
        {
            if (_e[i].Value == Empty) return;
            if (_e[i].Key == key) break;
            i = (i + 1) & _mask;
        }
        // Backward shift: pull later entries of the cluster into the hole when their home allows it.
        int hole = i;
        int j = i;
        while (true)
        {
            j = (j + 1) & _mask;
            if (_e[j].Value == Empty) break;
            int home = Home(_e[j].Key);
            // Move j to the hole unless its home lies cyclically in (hole, j].
            bool stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
            if (stays) continue;
            _e[hole] = _e[j];
            hole = j;
        }
        _e[hole].Value = Empty;
    }
}

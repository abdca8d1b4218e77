using Market.Matching.Constraints;
using Market.Matching.Engine;

namespace Market.Matching.Tests.Engine;

public class OfferLevelsTests
{
    /// <summary>Admits offers whose longest lease is at least a bound (the shape of the engine's offer filter).</summary>
    private readonly struct MinDuration(OfferSlot[] offers, uint bound) : INodeFilter
    {
        public bool Admits(int node) => offers[node].MaxDurationSec >= bound;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Price_levels_agree_with_a_sorted_scan_under_churn(int seed)
    {
        const int cap = 500, markets = 3;
        var r = new Random(seed);
        var offers = new OfferSlot[cap];
        var k3 = new long[cap];
        var book = new OfferLevels(offers, cap);
        var roots = new int[markets];
        Array.Fill(roots, OfferLevels.Nil);
        var live = new List<int>[markets];
        for (int k = 0; k < markets; k++) live[k] = new List<int>();
        var free = new Stack<int>(Enumerable.Range(0, cap).Reverse());
        long seq = 0, time = 1_000;
        int[] into = new int[cap], scratch = new int[cap];
        int Compare(int a, int b)
        {
            if (a == b) return 0;
            ref var x = ref offers[a];
            ref var y = ref offers[b];
            if (x.Price != y.Price) return x.Price.CompareTo(y.Price);
            if (x.Time != y.Time) return x.Time.CompareTo(y.Time);
            return k3[a].CompareTo(k3[b]);
        }
        for (int step = 0; step < 30_000; step++)
        {
            int k = r.Next(markets);
            int op = r.Next(100);
            if (op < 40 && free.Count > 0)
            {
                int s = free.Pop();
                if (r.Next(10) == 0) time++;
                long t = r.Next(8) == 0 ? time - r.Next(0, 5) : time; // a repriced offer keeps an older time
                ulong capacity = (ulong)r.Next(1, 60);
                offers[s] = new OfferSlot
                {
                    Seq = ++seq, Time = t, Price = r.Next(0, 10) * 10 + 950, Capacity = capacity,
                    Free = (ulong)r.Next(0, (int)capacity + 1), MaxDurationSec = (uint)r.Next(1, 5), Market = k,
                };
                // Same packing as the engine: (Max − score) above the sequence, so a higher score comes first.
                int score = r.Next(0, 4);
                k3[s] = ((long)(ProviderScore.Max - score) << 43) | seq;
                book.Insert(ref roots[k], s, k3[s]);
                live[k].Add(s);
            }
            else if (op < 70 && live[k].Count > 0)
            {
                int i = r.Next(live[k].Count);
                int s = live[k][i];
                book.Remove(ref roots[k], s);
                live[k].RemoveAt(i);
                free.Push(s);
            }
            else if (live[k].Count > 0)
            {
                int s = live[k][r.Next(live[k].Count)];
                ulong old = offers[s].Free;
                offers[s].Free = (ulong)r.Next(0, (int)offers[s].Capacity + 1);
                book.FreeChanged(roots[k], s, old);
            }

            var sorted = live[k].OrderBy(s => s, Comparer<int>.Create(Compare)).ToList();
            ulong m = (ulong)r.Next(1, 60);
            long maxPrice = r.Next(0, 11) * 10 + 945;
            uint bound = (uint)r.Next(1, 5);
            int expected = OfferLevels.Nil;
            foreach (int s in sorted)
            {
                if (offers[s].Price > maxPrice) break;
                if (offers[s].Free >= m && offers[s].MaxDurationSec >= bound) { expected = s; break; }
            }
            var filter = new MinDuration(offers, bound);
            Assert.Equal(expected, book.FindFirst(roots[k], m, maxPrice, ref filter));

            if (step % 97 == 0)
            {
                int n = book.InOrder(roots[k], into, scratch, 0);
                Assert.Equal(sorted, into.Take(n));
                int levels = 0;
                for (int b = 0; b < markets; b++) levels += live[b].Select(s => offers[s].Price).Distinct().Count();
                Assert.Equal(levels, book.Levels);
                if (sorted.Count > 1) Assert.True(book.Before(sorted[0], sorted[^1]));
            }
        }

        for (int k = 0; k < markets; k++)
            foreach (int s in live[k]) book.Remove(ref roots[k], s);
        Assert.Equal(0, book.Levels);
        Assert.All(roots, root => Assert.Equal(OfferLevels.Nil, root));
    }
}

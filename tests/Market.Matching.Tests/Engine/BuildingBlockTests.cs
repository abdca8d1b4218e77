using Market.Matching.Engine;

namespace Market.Matching.Tests.Engine;

public class BuildingBlockTests
{
    [Theory]
    [InlineData(1L)]          // sequential ids
    [InlineData(1L << 20)]    // strided ids that share their low bits
    [InlineData(7919L)]
    public void Id_index_agrees_with_a_dictionary_under_churn(long stride)
    {
        var index = new IdIndex(1_000);
        var model = new Dictionary<long, int>();
        var r = new Random((int)stride);
        for (int i = 0; i < 200_000; i++)
        {
            long key = r.Next(0, 3_000) * stride;
            if (model.ContainsKey(key))
            {
                Assert.True(index.TryGetValue(key, out int v));
                Assert.Equal(model[key], v);
                if (r.Next(2) == 0) { index.Remove(key); model.Remove(key); }
            }
            else
            {
                Assert.False(index.ContainsKey(key));
                if (model.Count < 1_000) { index.Add(key, i); model[key] = i; }
            }
        }
        foreach (var (k, v) in model)
        {
            Assert.True(index.TryGetValue(k, out int got));
            Assert.Equal(v, got);
        }
    }

    [Fact]
    public void Order_tree_finds_the_first_node_over_a_threshold_like_a_scan()
    {
        var r = new Random(3);
        var tree = new OrderTree(2_000);
        int root = OrderTree.Nil;
        var live = new SortedDictionary<(long, long), (int Node, long Val)>();
        var any = new AdmitAll();
        for (int step = 0; step < 20_000; step++)
        {
            int op = r.Next(3);
            if (op == 0 && live.Count < 2_000)
            {
                int node = Enumerable.Range(0, 2_000).First(n => !live.Values.Any(x => x.Node == n));
                long k1 = r.Next(100), val = r.Next(1_000);
                tree.Insert(ref root, node, k1, 0, step, val);
                live[(k1, step)] = (node, val);
            }
            else if (op == 1 && live.Count > 0)
            {
                var key = live.Keys.ElementAt(r.Next(live.Count));
                tree.Remove(ref root, live[key].Node);
                live.Remove(key);
            }
            else if (live.Count > 0)
            {
                var key = live.Keys.ElementAt(r.Next(live.Count));
                long val = r.Next(1_000);
                tree.SetValue(root, live[key].Node, val);
                live[key] = (live[key].Node, val);
            }
            long threshold = r.Next(1_000), limit = r.Next(100);
            int expected = OrderTree.Nil;
            foreach (var (k, v) in live)
            {
                if (k.Item1 > limit) break;
                if (v.Val >= threshold) { expected = v.Node; break; }
            }
            Assert.Equal(expected, tree.FindFirst(root, threshold, limit, ref any));
        }
    }
}

public class ExpiryHeapTests
{
    [Fact]
    public void Heap_pops_in_time_order_and_compacts_stale_entries_in_place()
    {
        var gen = new uint[4];
        var heap = new ExpiryHeap(4); // room for 8 entries
        Func<int, uint, bool> live = (slot, g) => gen[slot] == g;
        var r = new Random(1);
        for (int i = 0; i < 1_000; i++)
        {
            int slot = r.Next(4);
            gen[slot]++; // the slot's previous entry goes stale
            heap.Push(r.Next(1_000), slot, gen[slot], live);
            Assert.True(heap.Count <= 8);
        }
        long last = long.MinValue;
        int liveSeen = 0;
        while (heap.Count > 0)
        {
            Assert.True(heap.TopAt >= last);
            last = heap.TopAt;
            if (live(heap.TopSlot, heap.TopGen)) liveSeen++;
            heap.Pop();
        }
        Assert.Equal(4, liveSeen);
    }
}

public class EventBufferTests
{
    [Fact]
    public void Buffer_collects_events_grows_and_clears()
    {
        var buffer = new MatchingEventBuffer(1);
        var engine = new MatchingEngine(new EngineConfig { MaxBids = 16, MaxOffers = 16 }, buffer);
        engine.Apply(Command.Bid(1, Harness.T0, 1, Market.Matching.Model.ComputeType.Parallel, 4, 10, 100, Harness.T0 + 60, 60, Market.Matching.Constraints.BidConstraints.Any));
        engine.Apply(Command.Bid(2, Harness.T0, 2, Market.Matching.Model.ComputeType.Parallel, 4, 10, 100, Harness.T0 + 60, 60, Market.Matching.Constraints.BidConstraints.Any));
        Assert.Equal(2, buffer.Count);
        buffer.Clear();
        engine.Apply(Command.Offer(3, Harness.T0, 9, Market.Matching.Model.ComputeType.Parallel, 4, 100, 50, Harness.T0 + 60, 60, Market.Matching.Constraints.OfferAttributes.None));
        Assert.Equal(3, buffer.Count); // offer rested, two matches
        Assert.Equal(EventKind.Matched, buffer.Events[1].Kind);
    }
}

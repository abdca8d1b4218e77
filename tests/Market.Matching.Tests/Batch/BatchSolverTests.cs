using Market.Matching.Batch;

namespace Market.Matching.Tests.Batch;

public class BatchSolverTests
{
    private readonly struct Table(bool[,] ok) : IPairFilter
    {
        public bool Admits(int bid, int offer) => ok[bid, offer];
    }

    private static (long[] bp, ulong[] bs, long[] op, ulong[] of, bool[,] ok) Instance(Random r, int n, int m, bool constrained, bool equalSizes)
    {
        var bp = new long[n]; var bs = new ulong[n]; var op = new long[m]; var of = new ulong[m];
        for (int i = 0; i < n; i++) { bp[i] = r.Next(1, 100); bs[i] = equalSizes ? 10UL : (ulong)r.Next(1, 40); }
        for (int j = 0; j < m; j++) { op[j] = r.Next(1, 100); of[j] = (ulong)r.Next(1, 80); }
        Array.Sort(bp); Array.Reverse(bp);  // priority order: max price descending
        Array.Sort(op);                     // price ascending
        var ok = new bool[n, m];
        for (int i = 0; i < n; i++) for (int j = 0; j < m; j++) ok[i, j] = !constrained || r.Next(4) != 0;
        return (bp, bs, op, of, ok);
    }

    [Fact]
    public void Exact_mode_equals_brute_force_on_small_random_instances()
    {
        var r = new Random(42);
        var solver = new BatchSolver(16, 8);
        for (int t = 0; t < 300; t++)
        {
            var (bp, bs, op, of, ok) = Instance(r, r.Next(1, 7), r.Next(1, 4), constrained: t % 2 == 0, equalSizes: false);
            var f = new Table(ok);
            var assign = new int[bp.Length];
            var res = solver.Solve(bp, bs, op, of, ref f, assign);
            Assert.True(res.Exact);
            var best = BruteForce.Best(bp, bs, op, of, (i, j) => ok[i, j]);
            var (priced, _) = Check(res, bp, bs, op, of, ok, assign, solver.FreeAfter);
            Assert.Equal(best, res.Surplus);
            Assert.Equal(best, priced);
            Assert.True(res.Surplus <= res.UpperBound);
        }
    }

    [Fact]
    public void Greedy_mode_is_feasible_and_exact_for_equal_sizes_without_constraints()
    {
        var r = new Random(5);
        var greedy = new BatchSolver(16, 8, exactMaxBids: 0);
        for (int t = 0; t < 200; t++)
        {
            var (bp, bs, op, of, ok) = Instance(r, r.Next(1, 7), r.Next(1, 4), constrained: false, equalSizes: true);
            var f = new Table(ok);
            var assign = new int[bp.Length];
            var res = greedy.Solve(bp, bs, op, of, ref f, assign);
            Assert.False(res.Exact);
            Check(res, bp, bs, op, of, ok, assign, greedy.FreeAfter);
            Assert.Equal(BruteForce.Best(bp, bs, op, of, (_, _) => true), res.Surplus);
        }
    }

    [Fact]
    public void Greedy_mode_is_always_feasible_and_within_the_bound()
    {
        var r = new Random(9);
        var greedy = new BatchSolver(600, 100, exactMaxBids: 0);
        for (int t = 0; t < 50; t++)
        {
            var (bp, bs, op, of, ok) = Instance(r, r.Next(1, 600), r.Next(1, 100), constrained: t % 2 == 1, equalSizes: false);
            var f = new Table(ok);
            var assign = new int[bp.Length];
            var res = greedy.Solve(bp, bs, op, of, ref f, assign);
            Check(res, bp, bs, op, of, ok, assign, greedy.FreeAfter);
            Assert.True(res.Surplus <= res.UpperBound);
        }
    }

    [Theory]
    [InlineData(500, 75)]   // midpoint of marginal ask 50 and marginal bid 100
    [InlineData(0, 50)]
    [InlineData(1000, 100)]
    public void Uniform_price_is_the_k_point_between_marginal_ask_and_bid(int k, long expected)
    {
        var solver = new BatchSolver(4, 4);
        var f = new AllPairs();
        var assign = new int[2];
        var res = solver.Solve([120, 100], [10UL, 10UL], [40, 50], [10UL, 10UL], ref f, assign, k);
        Assert.Equal(2, res.Trades);
        Assert.Equal(expected, res.ClearingPrice);
    }

    [Fact]
    public void Trade_reduction_drops_the_marginal_trade_and_prices_at_its_bid()
    {
        var solver = new BatchSolver(4, 4);
        var f = new AllPairs();
        var assign = new int[3];
        var res = solver.Solve([120, 100, 90], [10UL, 10UL, 10UL], [40, 50, 60], [10UL, 10UL, 10UL], ref f, assign, 500, tradeReduction: true);
        Assert.Equal(2, res.Trades);
        Assert.Equal(90, res.ClearingPrice);
        Assert.Equal(-1, assign[2]);
        Assert.Equal(10UL, solver.FreeAfter[2]);
    }

    [Fact]
    public void Mixed_pairing_that_no_uniform_price_fits_is_avoided()
    {
        // Bid 20 only fits the pricey offer (15); bid 10 fits the cheap one (9). Both trades need
        // a price ≥ 15 for the pricey offer and ≤ 10 for the small bid: impossible. Keep the better one.
        var solver = new BatchSolver(4, 4);
        var f = new AllPairs();
        var assign = new int[2];
        var res = solver.Solve([20, 10], [50UL, 5UL], [9, 15], [5UL, 50UL], ref f, assign);
        Assert.Equal(1, res.Trades);
        Assert.Equal((Int128)250, res.Surplus);
        Assert.Equal(new[] { 1, -1 }, assign);
    }

    /// <summary>Capacity, admissibility and price bounds of a result; returns its surplus recomputed.</summary>
    private static (Int128, int) Check(BatchResult res, long[] bp, ulong[] bs, long[] op, ulong[] of, bool[,] ok, int[] assign, ReadOnlySpan<ulong> freeAfter)
    {
        var used = new ulong[op.Length];
        Int128 s = 0;
        int trades = 0;
        for (int i = 0; i < bp.Length; i++)
        {
            int o = assign[i];
            if (o < 0) continue;
            trades++;
            used[o] += bs[i];
            Assert.True(ok[i, o]);
            Assert.True(res.ClearingPrice <= bp[i], "a bid pays above its max");
            Assert.True(res.ClearingPrice >= op[o], "an offer sells below its price");
            s += (Int128)(bp[i] - op[o]) * bs[i];
        }
        for (int j = 0; j < op.Length; j++)
        {
            Assert.True(used[j] <= of[j], "capacity exceeded");
            Assert.Equal(of[j] - used[j], freeAfter[j]);
        }
        Assert.Equal(trades, res.Trades);
        return (s, trades);
    }
}

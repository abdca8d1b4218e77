using Market.Matching.Batch;

namespace Market.Matching.Tests.Batch;

/// <summary>
/// Enumerates every assignment of bids to offers (or none) and returns the greatest surplus among
/// those that respect capacity, the filter, bid max ≥ offer price, and uniform-price feasibility
/// (min traded bid ≥ max traded ask). Tests only; (offers + 1)^bids.
/// </summary>
internal static class BruteForce
{
    public static Int128 Best(long[] bp, ulong[] bs, long[] op, ulong[] of, Func<int, int, bool> admits)
    {
        int n = bp.Length, m = op.Length;
        var pick = new int[n];
        Int128 best = 0;
        long total = 1;
        for (int i = 0; i < n; i++) total *= m + 1;
        for (long code = 0; code < total; code++)
        {
            long c = code;
            for (int i = 0; i < n; i++) { pick[i] = (int)(c % (m + 1)) - 1; c /= m + 1; }
            var used = new ulong[m];
            Int128 s = 0;
            long minBid = long.MaxValue, maxAsk = long.MinValue;
            bool ok = true;
            for (int i = 0; i < n && ok; i++)
            {
                int o = pick[i];
                if (o < 0) continue;
                used[o] += bs[i];
                ok = used[o] <= of[o] && bp[i] >= op[o] && admits(i, o);
                s += (Int128)(bp[i] - op[o]) * bs[i];
                minBid = Math.Min(minBid, bp[i]);
                maxAsk = Math.Max(maxAsk, op[o]);
            }
            if (ok && minBid >= maxAsk && s > best) best = s;
        }
        return best;
    }
}

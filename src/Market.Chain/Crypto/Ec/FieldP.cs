using System.Runtime.CompilerServices;

namespace Market.Chain.Crypto.Ec;

/// <summary>
/// Arithmetic modulo p = 2^256 − 2^32 − 977, on fully reduced <see cref="U256"/> values. The
/// special form of p makes reduction cheap: 2^256 ≡ C = 2^32 + 977 (mod p), so the high half of a
/// 512-bit product folds into the low half with one small multiplication per limb.
/// </summary>
internal static class FieldP
{
    private const ulong C = 0x1000003D1UL;

    public static readonly U256 P = new(0xFFFFFFFEFFFFFC2FUL, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue);

    public static readonly U256 Seven = new(7, 0, 0, 0);

    public static bool IsReduced(in U256 a) => U256.Less(a, P);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static U256 Add(in U256 a, in U256 b)
    {
        var r = U256.Add(a, b, out var carry);
        // Wrapping past 2^256 drops 2^256 ≡ C; otherwise subtract p once when needed (same as adding C mod 2^256).
        return carry != 0 || !U256.Less(r, P) ? U256.Add(r, new U256(C, 0, 0, 0), out _) : r;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static U256 Sub(in U256 a, in U256 b)
    {
        var r = U256.Sub(a, b, out var borrow);
        // a − b + 2^256 ≥ C + 1 here, so taking C away (adding p mod 2^256) cannot underflow.
        return borrow != 0 ? U256.Sub(r, new U256(C, 0, 0, 0), out _) : r;
    }

    public static U256 Neg(in U256 a) => a.IsZero ? a : U256.Sub(P, a, out _);

    public static U256 Double(in U256 a) => Add(a, a);

    /// <summary>a²: the six cross products once, doubled, plus the four squares (10 multiplications, not 16).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static U256 Sqr(in U256 a)
    {
        ulong c = 0;
        ulong t1 = Mac(a.L0, a.L1, 0, ref c), t2 = Mac(a.L0, a.L2, 0, ref c), t3 = Mac(a.L0, a.L3, 0, ref c), t4 = c;
        c = 0;
        t3 = Mac(a.L1, a.L2, t3, ref c); t4 = Mac(a.L1, a.L3, t4, ref c);
        ulong t5 = c;
        c = 0;
        t5 = Mac(a.L2, a.L3, t5, ref c);
        ulong t6 = c;
        ulong t7 = t6 >> 63;
        t6 = (t6 << 1) | (t5 >> 63); t5 = (t5 << 1) | (t4 >> 63); t4 = (t4 << 1) | (t3 >> 63);
        t3 = (t3 << 1) | (t2 >> 63); t2 = (t2 << 1) | (t1 >> 63); t1 <<= 1;
        ulong h0 = Math.BigMul(a.L0, a.L0, out var t0);
        ulong h1 = Math.BigMul(a.L1, a.L1, out var l1);
        ulong h2 = Math.BigMul(a.L2, a.L2, out var l2);
        ulong h3 = Math.BigMul(a.L3, a.L3, out var l3);
        ulong k = 0;
        t1 = AddC(t1, h0, ref k); t2 = AddC(t2, l1, ref k); t3 = AddC(t3, h1, ref k); t4 = AddC(t4, l2, ref k);
        t5 = AddC(t5, h2, ref k); t6 = AddC(t6, l3, ref k); t7 = AddC(t7, h3, ref k);
        return Reduce(t0, t1, t2, t3, t4, t5, t6, t7);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong AddC(ulong x, ulong y, ref ulong carry)
    {
        ulong s = x + y;
        ulong c1 = s < x ? 1UL : 0;
        ulong r = s + carry;
        carry = c1 | (r < s ? 1UL : 0);
        return r;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static U256 Mul(in U256 a, in U256 b)
    {
        // 512-bit schoolbook product t0..t7.
        ulong c = 0;
        ulong t0 = Mac(a.L0, b.L0, 0, ref c), t1 = Mac(a.L0, b.L1, 0, ref c), t2 = Mac(a.L0, b.L2, 0, ref c), t3 = Mac(a.L0, b.L3, 0, ref c), t4 = c;
        c = 0;
        t1 = Mac(a.L1, b.L0, t1, ref c); t2 = Mac(a.L1, b.L1, t2, ref c); t3 = Mac(a.L1, b.L2, t3, ref c); t4 = Mac(a.L1, b.L3, t4, ref c);
        ulong t5 = c;
        c = 0;
        t2 = Mac(a.L2, b.L0, t2, ref c); t3 = Mac(a.L2, b.L1, t3, ref c); t4 = Mac(a.L2, b.L2, t4, ref c); t5 = Mac(a.L2, b.L3, t5, ref c);
        ulong t6 = c;
        c = 0;
        t3 = Mac(a.L3, b.L0, t3, ref c); t4 = Mac(a.L3, b.L1, t4, ref c); t5 = Mac(a.L3, b.L2, t5, ref c); t6 = Mac(a.L3, b.L3, t6, ref c);
        ulong t7 = c;
        return Reduce(t0, t1, t2, t3, t4, t5, t6, t7);
    }

    /// <summary>lo + hi·2^256 mod p, folding hi·C into lo twice and subtracting p at most once.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static U256 Reduce(ulong t0, ulong t1, ulong t2, ulong t3, ulong t4, ulong t5, ulong t6, ulong t7)
    {
        ulong c = 0;
        ulong r0 = Mac(t4, C, t0, ref c), r1 = Mac(t5, C, t1, ref c), r2 = Mac(t6, C, t2, ref c), r3 = Mac(t7, C, t3, ref c);
        // c < 2^34: fold c·C (< 2^67) in once more.
        ulong hi = Math.BigMul(c, C, out var lo);
        r0 += lo; ulong k = r0 < lo ? 1UL : 0;
        ulong s = hi + k; r1 += s; k = r1 < s ? 1UL : 0;
        r2 += k; k = r2 < k ? 1UL : 0;
        r3 += k; k = r3 < k ? 1UL : 0;
        var r = new U256(r0, r1, r2, r3);
        // A wrap past 2^256 leaves a tiny value to which C is added; otherwise subtract p if r ≥ p.
        return k != 0 || !U256.Less(r, P) ? U256.Add(r, new U256(C, 0, 0, 0), out _) : r;
    }

    /// <summary>a·b + add + carry as a 128-bit value: returns the low word, leaves the high word in carry.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Mac(ulong a, ulong b, ulong add, ref ulong carry)
    {
        ulong hi = Math.BigMul(a, b, out var lo);
        lo += add; hi += lo < add ? 1UL : 0;
        lo += carry; hi += lo < carry ? 1UL : 0;
        carry = hi;
        return lo;
    }

    public static U256 Inverse(in U256 a) => U256.ModInverse(a, P);

    /// <summary>a^(2^n) by n squarings.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static U256 SqrN(U256 a, int n)
    {
        for (int i = 0; i < n; i++) a = Sqr(a);
        return a;
    }

    /// <summary>
    /// A square root of a, if there is one: a^((p+1)/4), with libsecp256k1's addition chain (the
    /// exponent is 223 ones, a zero, 22 ones, four zeros, …). False when a is not a square.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TrySqrt(in U256 a, out U256 root)
    {
        // xN = a^(2^N − 1)
        var x2 = Mul(Sqr(a), a);
        var x3 = Mul(Sqr(x2), a);
        var x6 = Mul(SqrN(x3, 3), x3);
        var x9 = Mul(SqrN(x6, 3), x3);
        var x11 = Mul(SqrN(x9, 2), x2);
        var x22 = Mul(SqrN(x11, 11), x11);
        var x44 = Mul(SqrN(x22, 22), x22);
        var x88 = Mul(SqrN(x44, 44), x44);
        var x176 = Mul(SqrN(x88, 88), x88);
        var x220 = Mul(SqrN(x176, 44), x44);
        var x223 = Mul(SqrN(x220, 3), x3);
        var t = Mul(SqrN(x223, 23), x22);
        t = Mul(SqrN(t, 6), x2);
        root = SqrN(t, 2);
        return U256.Equal(Sqr(root), a);
    }
}

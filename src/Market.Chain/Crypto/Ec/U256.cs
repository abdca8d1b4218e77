using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Market.Chain.Crypto.Ec;

/// <summary>
/// A 256-bit unsigned integer in four 64-bit limbs, little-endian (L0 lowest). The value type the
/// secp256k1 arithmetic works on: no allocation, no sign, no normalisation.
/// </summary>
internal readonly struct U256(ulong l0, ulong l1, ulong l2, ulong l3)
{
    public readonly ulong L0 = l0, L1 = l1, L2 = l2, L3 = l3;

    public static readonly U256 Zero = default;
    public static readonly U256 One = new(1, 0, 0, 0);

    public bool IsZero => (L0 | L1 | L2 | L3) == 0;
    public bool IsOne => L0 == 1 && (L1 | L2 | L3) == 0;
    public bool IsOdd => (L0 & 1) != 0;

    public static U256 FromBigEndian(ReadOnlySpan<byte> b32) => new(
        BinaryPrimitives.ReadUInt64BigEndian(b32[24..]), BinaryPrimitives.ReadUInt64BigEndian(b32[16..]),
        BinaryPrimitives.ReadUInt64BigEndian(b32[8..]), BinaryPrimitives.ReadUInt64BigEndian(b32));

    public void WriteBigEndian(Span<byte> b32)
    {
        BinaryPrimitives.WriteUInt64BigEndian(b32, L3);
        BinaryPrimitives.WriteUInt64BigEndian(b32[8..], L2);
        BinaryPrimitives.WriteUInt64BigEndian(b32[16..], L1);
        BinaryPrimitives.WriteUInt64BigEndian(b32[24..], L0);
    }

    /// <summary>a &lt; b as unsigned integers.</summary>
    public static bool Less(in U256 a, in U256 b) =>
        a.L3 != b.L3 ? a.L3 < b.L3 : a.L2 != b.L2 ? a.L2 < b.L2 : a.L1 != b.L1 ? a.L1 < b.L1 : a.L0 < b.L0;

    public static bool Equal(in U256 a, in U256 b) => ((a.L0 ^ b.L0) | (a.L1 ^ b.L1) | (a.L2 ^ b.L2) | (a.L3 ^ b.L3)) == 0;

    /// <summary>a + b mod 2^256; <paramref name="carry"/> is the bit that fell off.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static U256 Add(in U256 a, in U256 b, out ulong carry)
    {
        ulong r0 = a.L0 + b.L0, c = r0 < a.L0 ? 1UL : 0;
        ulong t = a.L1 + c, r1 = t + b.L1; c = (t < c ? 1UL : 0) | (r1 < t ? 1UL : 0);
        t = a.L2 + c; ulong r2 = t + b.L2; c = (t < c ? 1UL : 0) | (r2 < t ? 1UL : 0);
        t = a.L3 + c; ulong r3 = t + b.L3; c = (t < c ? 1UL : 0) | (r3 < t ? 1UL : 0);
        carry = c;
        return new U256(r0, r1, r2, r3);
    }

    /// <summary>a − b mod 2^256; <paramref name="borrow"/> is 1 when b &gt; a.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static U256 Sub(in U256 a, in U256 b, out ulong borrow)
    {
        ulong r0 = a.L0 - b.L0, c = a.L0 < b.L0 ? 1UL : 0;
        ulong t = a.L1 - b.L1, r1 = t - c; c = (a.L1 < b.L1 ? 1UL : 0) | (t < c ? 1UL : 0);
        t = a.L2 - b.L2; ulong r2 = t - c; c = (a.L2 < b.L2 ? 1UL : 0) | (t < c ? 1UL : 0);
        t = a.L3 - b.L3; ulong r3 = t - c; c = (a.L3 < b.L3 ? 1UL : 0) | (t < c ? 1UL : 0);
        borrow = c;
        return new U256(r0, r1, r2, r3);
    }

    /// <summary>(a + top·2^256) / 2 for a carry bit <paramref name="top"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static U256 Half(in U256 a, ulong top) =>
        new((a.L0 >> 1) | (a.L1 << 63), (a.L1 >> 1) | (a.L2 << 63), (a.L2 >> 1) | (a.L3 << 63), (a.L3 >> 1) | (top << 63));

    /// <summary>
    /// a⁻¹ mod m for an odd modulus m and 0 &lt; a &lt; m with gcd(a, m) = 1 (binary extended Euclid;
    /// variable time, which is fine: recovery works on public data only).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static U256 ModInverse(U256 a, in U256 m)
    {
        if (a.IsZero) throw new ArgumentException("zero has no inverse");
        U256 u = a, v = m, x1 = One, x2 = Zero;
        while (!u.IsOne && !v.IsOne)
        {
            while (!u.IsOdd) { u = Half(u, 0); x1 = HalfMod(x1, m); }
            while (!v.IsOdd) { v = Half(v, 0); x2 = HalfMod(x2, m); }
            if (!Less(u, v)) { u = Sub(u, v, out _); x1 = SubMod(x1, x2, m); }
            else { v = Sub(v, u, out _); x2 = SubMod(x2, x1, m); }
            if (u.IsZero || v.IsZero) throw new ArgumentException("not invertible");
        }
        return u.IsOne ? x1 : x2;
    }

    /// <summary>x / 2 mod m (m odd, x &lt; m).</summary>
    private static U256 HalfMod(in U256 x, in U256 m)
    {
        if (!x.IsOdd) return Half(x, 0);
        var s = Add(x, m, out var carry);
        return Half(s, carry);
    }

    /// <summary>a − b mod m (both &lt; m).</summary>
    public static U256 SubMod(in U256 a, in U256 b, in U256 m)
    {
        var d = Sub(a, b, out var borrow);
        return borrow != 0 ? Add(d, m, out _) : d;
    }
}

using System.Runtime.CompilerServices;
using System.Numerics;

namespace Market.Chain.Crypto.Ec;

/// <summary>
/// secp256k1 public-key recovery, Q = r⁻¹(sR − eG) = u1·G + u2·R, on our own 4×64-bit field
/// arithmetic: R from its x coordinate (one square root), u1·G + u2·R as one interleaved wNAF
/// double multiplication (Shamir's trick; width 8 against a table of G's odd multiples built once,
/// width 5 against R's built per call), one field inversion for the result. About an order of
/// magnitude less work and garbage than BouncyCastle's generic big-integer path, which the tests
/// keep as the reference.
/// </summary>
internal static class EcRecovery
{
    private const int WindowG = 8, WindowR = 5;

    public static readonly U256 N = new(0xBFD25E8CD0364141UL, 0xBAAEDCE6AF48A03BUL, 0xFFFFFFFFFFFFFFFEUL, ulong.MaxValue);
    private static readonly BigInteger NBig = BigInteger.Parse("0FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", System.Globalization.NumberStyles.HexNumber);

    public static readonly AffinePoint G = new(
        new U256(0x59F2815B16F81798UL, 0x029BFCDB2DCE28D9UL, 0x55A06295CE870B07UL, 0x79BE667EF9DCBBACUL),
        new U256(0x9C47D08FFB10D4B8UL, 0xFD17B448A6855419UL, 0x5DA4FBFC0E1108A8UL, 0x483ADA7726A3C465UL));

    /// <summary>G, 3G, 5G, …, (2^(WindowG−1) − 1)G in affine form, for mixed additions.</summary>
    private static readonly AffinePoint[] GTable = OddMultiplesAffine(G, 1 << (WindowG - 2));

    /// <summary>The 64-byte uncompressed public key (x ‖ y) that signed <paramref name="hash32"/>.</summary>
    public static void Recover(ReadOnlySpan<byte> hash32, ReadOnlySpan<byte> r32, ReadOnlySpan<byte> s32, int recoveryId, Span<byte> publicKey64)
    {
        var r = U256.FromBigEndian(r32);
        var s = U256.FromBigEndian(s32);
        if (r.IsZero || !U256.Less(r, N)) throw new SignatureException("r is outside [1, n)");
        if (s.IsZero || !U256.Less(s, N)) throw new SignatureException("s is outside [1, n)");
        var x = r;
        if ((recoveryId & 2) != 0)
        {
            x = U256.Add(r, N, out var carry);
            if (carry != 0 || !FieldP.IsReduced(x)) throw new SignatureException("recovery id gives an x outside the field");
        }
        var rPoint = Decompress(x, (recoveryId & 1) != 0);

        var rInv = U256.ModInverse(r, N);
        var e = ToBig(U256.FromBigEndian(hash32)) % NBig;
        var u1 = FromBig((NBig - e) % NBig * ToBig(rInv) % NBig);
        var u2 = FromBig(ToBig(s) * ToBig(rInv) % NBig);

        var q = DoubleMultiply(u1, u2, rPoint);
        if (q.IsInfinity) throw new SignatureException("signature recovers the point at infinity");
        var a = q.ToAffine();
        a.X.WriteBigEndian(publicKey64);
        a.Y.WriteBigEndian(publicKey64[32..]);
    }

    /// <summary>The curve point with this x and y of the given parity; throws when x³ + 7 has no root.</summary>
    public static AffinePoint Decompress(in U256 x, bool yOdd)
    {
        var rhs = FieldP.Add(FieldP.Mul(FieldP.Sqr(x), x), FieldP.Seven);
        if (!FieldP.TrySqrt(rhs, out var y)) throw new SignatureException("r is not the x coordinate of a curve point");
        if (y.IsOdd != yOdd) y = FieldP.Neg(y);
        return new AffinePoint(x, y);
    }

    /// <summary>u1·G + u2·P with both scalars below n.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static JacobianPoint DoubleMultiply(in U256 u1, in U256 u2, in AffinePoint p)
    {
        Span<sbyte> naf1 = stackalloc sbyte[257];
        Span<sbyte> naf2 = stackalloc sbyte[257];
        int len1 = Wnaf(u1, WindowG, naf1), len2 = Wnaf(u2, WindowR, naf2);
        Span<JacobianPoint> pTable = stackalloc JacobianPoint[1 << (WindowR - 2)];
        OddMultiples(JacobianPoint.From(p), pTable);

        var acc = JacobianPoint.Infinity;
        for (int i = Math.Max(len1, len2) - 1; i >= 0; i--)
        {
            acc = JacobianPoint.Double(acc);
            int d1 = naf1[i], d2 = naf2[i];
            if (d1 > 0) acc = JacobianPoint.Add(acc, GTable[d1 >> 1]);
            else if (d1 < 0) acc = JacobianPoint.Add(acc, GTable[-d1 >> 1].Negate());
            if (d2 > 0) acc = JacobianPoint.Add(acc, pTable[d2 >> 1]);
            else if (d2 < 0) acc = JacobianPoint.Add(acc, pTable[-d2 >> 1].Negate());
        }
        return acc;
    }

    /// <summary>
    /// Width-w non-adjacent form, least significant digit first: every digit is 0 or odd with
    /// |d| &lt; 2^(w−1), and any w consecutive digits hold at most one non-zero. Returns the length.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Wnaf(U256 k, int w, Span<sbyte> digits)
    {
        int full = 1 << w, half = full >> 1, len = 0;
        digits.Clear();
        while (!k.IsZero)
        {
            if (k.IsOdd)
            {
                int d = (int)(k.L0 & (ulong)(full - 1));
                if (d >= half) d -= full;
                // k − d is divisible by 2^w; k < n < 2^256 − 2^128, so adding |d| cannot overflow.
                k = d > 0 ? U256.Sub(k, new U256((ulong)d, 0, 0, 0), out _) : U256.Add(k, new U256((ulong)-d, 0, 0, 0), out _);
                digits[len] = (sbyte)d;
            }
            len++;
            k = U256.Half(k, 0);
        }
        return len;
    }

    private static void OddMultiples(in JacobianPoint p, Span<JacobianPoint> table)
    {
        var twice = JacobianPoint.Double(p);
        table[0] = p;
        for (int i = 1; i < table.Length; i++) table[i] = JacobianPoint.Add(table[i - 1], twice);
    }

    private static AffinePoint[] OddMultiplesAffine(in AffinePoint p, int count)
    {
        var jac = new JacobianPoint[count];
        OddMultiples(JacobianPoint.From(p), jac);
        return Array.ConvertAll(jac, j => j.ToAffine());
    }

    private static BigInteger ToBig(in U256 v)
    {
        Span<byte> b = stackalloc byte[32];
        v.WriteBigEndian(b);
        return new BigInteger(b, isUnsigned: true, isBigEndian: true);
    }

    private static U256 FromBig(BigInteger v)
    {
        Span<byte> b = stackalloc byte[32];
        b.Clear();
        var n = v.GetByteCount(isUnsigned: true);
        v.TryWriteBytes(b[(32 - n)..], out _, isUnsigned: true, isBigEndian: true);
        return U256.FromBigEndian(b);
    }
}

using System.Runtime.CompilerServices;
namespace Market.Chain.Crypto.Ec;

/// <summary>An affine point (x, y) on secp256k1; never the point at infinity.</summary>
internal readonly record struct AffinePoint(U256 X, U256 Y)
{
    public AffinePoint Negate() => new(X, FieldP.Neg(Y));

    /// <summary>y² = x³ + 7 with both coordinates reduced.</summary>
    public bool IsOnCurve =>
        FieldP.IsReduced(X) && FieldP.IsReduced(Y)
        && U256.Equal(FieldP.Sqr(Y), FieldP.Add(FieldP.Mul(FieldP.Sqr(X), X), FieldP.Seven));
}

/// <summary>
/// A point in Jacobian coordinates (X/Z², Y/Z³); Z = 0 is the point at infinity. Formulas for
/// a = 0 curves from the Explicit-Formulas Database (dbl-2009-l, madd-2007-bl, add-2007-bl), so
/// a double multiplication needs a single field inversion, at the very end.
/// </summary>
internal readonly record struct JacobianPoint(U256 X, U256 Y, U256 Z)
{
    public static readonly JacobianPoint Infinity = new(U256.One, U256.One, U256.Zero);

    public bool IsInfinity => Z.IsZero;

    public static JacobianPoint From(in AffinePoint p) => new(p.X, p.Y, U256.One);

    public JacobianPoint Negate() => new(X, FieldP.Neg(Y), Z);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static JacobianPoint Double(in JacobianPoint p)
    {
        if (p.IsInfinity || p.Y.IsZero) return Infinity;
        var a = FieldP.Sqr(p.X);
        var b = FieldP.Sqr(p.Y);
        var c = FieldP.Sqr(b);
        var d = FieldP.Double(FieldP.Sub(FieldP.Sub(FieldP.Sqr(FieldP.Add(p.X, b)), a), c));
        var e = FieldP.Add(FieldP.Double(a), a);
        var f = FieldP.Sqr(e);
        var x3 = FieldP.Sub(f, FieldP.Double(d));
        var c8 = FieldP.Double(FieldP.Double(FieldP.Double(c)));
        var y3 = FieldP.Sub(FieldP.Mul(e, FieldP.Sub(d, x3)), c8);
        var z3 = FieldP.Double(FieldP.Mul(p.Y, p.Z));
        return new JacobianPoint(x3, y3, z3);
    }

    /// <summary>p + q for an affine q (mixed addition).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static JacobianPoint Add(in JacobianPoint p, in AffinePoint q)
    {
        if (p.IsInfinity) return From(q);
        var z1z1 = FieldP.Sqr(p.Z);
        var u2 = FieldP.Mul(q.X, z1z1);
        var s2 = FieldP.Mul(q.Y, FieldP.Mul(p.Z, z1z1));
        var h = FieldP.Sub(u2, p.X);
        var r = FieldP.Double(FieldP.Sub(s2, p.Y));
        if (h.IsZero) return r.IsZero ? Double(p) : Infinity;
        var hh = FieldP.Sqr(h);
        var i = FieldP.Double(FieldP.Double(hh));
        var j = FieldP.Mul(h, i);
        var v = FieldP.Mul(p.X, i);
        var x3 = FieldP.Sub(FieldP.Sub(FieldP.Sqr(r), j), FieldP.Double(v));
        var y3 = FieldP.Sub(FieldP.Mul(r, FieldP.Sub(v, x3)), FieldP.Double(FieldP.Mul(p.Y, j)));
        var z3 = FieldP.Sub(FieldP.Sub(FieldP.Sqr(FieldP.Add(p.Z, h)), z1z1), hh);
        return new JacobianPoint(x3, y3, z3);
    }

    /// <summary>p + q, both Jacobian.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static JacobianPoint Add(in JacobianPoint p, in JacobianPoint q)
    {
        if (p.IsInfinity) return q;
        if (q.IsInfinity) return p;
        var z1z1 = FieldP.Sqr(p.Z);
        var z2z2 = FieldP.Sqr(q.Z);
        var u1 = FieldP.Mul(p.X, z2z2);
        var u2 = FieldP.Mul(q.X, z1z1);
        var s1 = FieldP.Mul(p.Y, FieldP.Mul(q.Z, z2z2));
        var s2 = FieldP.Mul(q.Y, FieldP.Mul(p.Z, z1z1));
        var h = FieldP.Sub(u2, u1);
        var r = FieldP.Double(FieldP.Sub(s2, s1));
        if (h.IsZero) return r.IsZero ? Double(p) : Infinity;
        var i = FieldP.Sqr(FieldP.Double(h));
        var j = FieldP.Mul(h, i);
        var v = FieldP.Mul(u1, i);
        var x3 = FieldP.Sub(FieldP.Sub(FieldP.Sqr(r), j), FieldP.Double(v));
        var y3 = FieldP.Sub(FieldP.Mul(r, FieldP.Sub(v, x3)), FieldP.Double(FieldP.Mul(s1, j)));
        var z3 = FieldP.Mul(FieldP.Sub(FieldP.Sub(FieldP.Sqr(FieldP.Add(p.Z, q.Z)), z1z1), z2z2), h);
        return new JacobianPoint(x3, y3, z3);
    }

    /// <summary>The affine point; one field inversion. Throws for infinity.</summary>
    public AffinePoint ToAffine()
    {
        if (IsInfinity) throw new InvalidOperationException("the point at infinity has no affine form");
        var zi = FieldP.Inverse(Z);
        var zi2 = FieldP.Sqr(zi);
        return new AffinePoint(FieldP.Mul(X, zi2), FieldP.Mul(Y, FieldP.Mul(zi2, zi)));
    }
}

using Market.Chain;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto.EC;
using Org.BouncyCastle.Math.EC;
using BcInt = Org.BouncyCastle.Math.BigInteger;

namespace Market.TestSupport;

/// <summary>
/// The reference our own secp256k1 recovery is compared against: the previous implementation,
/// Q = r⁻¹(sR − eG) through BouncyCastle's big-integer curve arithmetic. Returns null wherever it
/// refuses (r or s out of range, x outside the field, x not on the curve, Q at infinity).
/// </summary>
public static class BouncyCastleRecovery
{
    private static readonly X9ECParameters Curve = CustomNamedCurves.GetByName("secp256k1");
    private static readonly BcInt N = Curve.N;
    private static readonly BcInt P = Curve.Curve.Field.Characteristic;

    public static byte[]? Recover(byte[] hash32, byte[] r32, byte[] s32, int recId)
    {
        var r = new BcInt(1, r32);
        var s = new BcInt(1, s32);
        if (r.SignValue == 0 || r.CompareTo(N) >= 0 || s.SignValue == 0 || s.CompareTo(N) >= 0) return null;
        var x = (recId & 2) != 0 ? r.Add(N) : r;
        if (x.CompareTo(P) >= 0) return null;
        var encoded = new byte[33];
        encoded[0] = (byte)((recId & 1) != 0 ? 3 : 2);
        var xb = x.ToByteArrayUnsigned();
        xb.CopyTo(encoded, 33 - xb.Length);
        ECPoint rPoint;
        try { rPoint = Curve.Curve.DecodePoint(encoded); }
        catch (ArgumentException) { return null; }
        var e = new BcInt(1, hash32);
        var rInv = r.ModInverse(N);
        var u1 = N.Subtract(e).Multiply(rInv).Mod(N);
        var u2 = s.Multiply(rInv).Mod(N);
        var q = ECAlgorithms.SumOfTwoMultiplies(Curve.G, u1, rPoint, u2).Normalize();
        if (q.IsInfinity) return null;
        var result = new byte[64];
        var qx = q.AffineXCoord.ToBigInteger().ToByteArrayUnsigned();
        var qy = q.AffineYCoord.ToBigInteger().ToByteArrayUnsigned();
        qx.CopyTo(result, 32 - qx.Length);
        qy.CopyTo(result, 64 - qy.Length);
        return result;
    }

    /// <summary>32 big-endian bytes of a BouncyCastle integer.</summary>
    public static byte[] Bytes32(BcInt v)
    {
        var raw = v.ToByteArrayUnsigned();
        var b = new byte[32];
        raw.CopyTo(b, 32 - raw.Length);
        return b;
    }

    public static BcInt Order => N;
    public static BcInt FieldPrime => P;
}

using System.Numerics;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto.EC;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Math.EC;
using Org.BouncyCastle.Math.EC.Multiplier;
using BcInt = Org.BouncyCastle.Math.BigInteger;

namespace Market.Chain.Crypto;

/// <summary>
/// secp256k1 ECDSA over 32-byte hashes: RFC 6979 deterministic k, low-s, recovery id computed from
/// R directly (no trial recovery), and recovery as Q = r⁻¹(sR − eG) with one double multiplication.
/// </summary>
public static class Secp256k1
{
    internal static readonly X9ECParameters Curve = CustomNamedCurves.GetByName("secp256k1");
    internal static readonly ECDomainParameters Domain = new(Curve.Curve, Curve.G, Curve.N, Curve.H);
    internal static readonly BcInt N = Curve.N;
    internal static readonly BcInt HalfN = Curve.N.ShiftRight(1);
    // k·G and d·G through BouncyCastle's fixed-point comb (precomputed multiples of G): several
    // times faster than the curve's generic multiplier that ECPoint.Multiply uses.
    private static readonly FixedPointCombMultiplier BaseMultiplier = new();

    /// <summary>The curve order n as a .NET integer.</summary>
    public static BigInteger Order { get; } = BigEndian.ToBigInteger(Curve.N.ToByteArrayUnsigned());

    public static EthSignature Sign(ReadOnlySpan<byte> hash32, ReadOnlySpan<byte> privateKey32)
    {
        if (hash32.Length != 32) throw new SignatureException($"a signed hash has 32 bytes, got {hash32.Length}");
        var d = PrivateScalar(privateKey32);
        var e = new BcInt(1, hash32.ToArray());
        var kCalc = new HMacDsaKCalculator(new Sha256Digest());
        kCalc.Init(N, d, hash32.ToArray());
        while (true)
        {
            var k = kCalc.NextK();
            var rPoint = BaseMultiplier.Multiply(Domain.G, k).Normalize();
            var rx = rPoint.AffineXCoord.ToBigInteger();
            var r = rx.Mod(N);
            if (r.SignValue == 0) continue;
            var s = k.ModInverse(N).Multiply(e.Add(d.Multiply(r))).Mod(N);
            if (s.SignValue == 0) continue;
            int recId = (rPoint.AffineYCoord.TestBitZero() ? 1 : 0) | (rx.CompareTo(N) >= 0 ? 2 : 0);
            if (s.CompareTo(HalfN) > 0)
            {
                // (r, n−s) is the same signature for the point −R, whose y has the other parity.
                s = N.Subtract(s);
                recId ^= 1;
            }
            return new EthSignature(ToBytes32(r), ToBytes32(s), recId);
        }
    }

    /// <summary>Recovers the 64-byte uncompressed public key (no 0x04 prefix), with our own curve arithmetic (<see cref="Ec.EcRecovery"/>).</summary>
    public static byte[] RecoverPublicKey(ReadOnlySpan<byte> hash32, EthSignature signature)
    {
        if (hash32.Length != 32) throw new SignatureException($"a signed hash has 32 bytes, got {hash32.Length}");
        var result = new byte[64];
        Ec.EcRecovery.Recover(hash32, signature.R, signature.S, signature.RecoveryId, result);
        return result;
    }

    public static Address Recover(ReadOnlySpan<byte> hash32, EthSignature signature)
    {
        if (hash32.Length != 32) throw new SignatureException($"a signed hash has 32 bytes, got {hash32.Length}");
        Span<byte> pub = stackalloc byte[64];
        Ec.EcRecovery.Recover(hash32, signature.R, signature.S, signature.RecoveryId, pub);
        return Address.FromPublicKey(pub);
    }

    /// <summary>Plain ECDSA verification against a 64-byte public key; rejects high-s.</summary>
    public static bool Verify(ReadOnlySpan<byte> hash32, EthSignature signature, ReadOnlySpan<byte> publicKey64)
    {
        if (hash32.Length != 32) throw new SignatureException($"a signed hash has 32 bytes, got {hash32.Length}");
        var r = new BcInt(1, signature.R);
        var s = new BcInt(1, signature.S);
        if (r.SignValue == 0 || r.CompareTo(N) >= 0 || s.SignValue == 0 || s.CompareTo(HalfN) > 0) return false;
        var q = DecodePublicKey(publicKey64);
        var signer = new ECDsaSigner();
        signer.Init(false, new ECPublicKeyParameters(q, Domain));
        return signer.VerifySignature(hash32.ToArray(), r, s);
    }

    public static byte[] PublicKeyOf(ReadOnlySpan<byte> privateKey32) =>
        EncodePoint(BaseMultiplier.Multiply(Domain.G, PrivateScalar(privateKey32)).Normalize());

    internal static BcInt PrivateScalar(ReadOnlySpan<byte> privateKey32)
    {
        if (privateKey32.Length != 32) throw new SignatureException($"a private key has 32 bytes, got {privateKey32.Length}");
        var d = new BcInt(1, privateKey32.ToArray());
        if (d.SignValue == 0 || d.CompareTo(N) >= 0) throw new SignatureException("private key is outside [1, n)");
        return d;
    }

    private static ECPoint DecodePublicKey(ReadOnlySpan<byte> publicKey)
    {
        byte[] encoded;
        if (publicKey.Length == 64) { encoded = new byte[65]; encoded[0] = 4; publicKey.CopyTo(encoded.AsSpan(1)); }
        else if (publicKey.Length is 33 or 65) encoded = publicKey.ToArray();
        else throw new SignatureException($"a public key has 64 bytes, got {publicKey.Length}");
        try { return Curve.Curve.DecodePoint(encoded); }
        catch (ArgumentException ex) { throw new SignatureException("not a point on secp256k1", ex); }
    }

    private static byte[] EncodePoint(ECPoint q)
    {
        var result = new byte[64];
        var xb = q.AffineXCoord.ToBigInteger().ToByteArrayUnsigned();
        var yb = q.AffineYCoord.ToBigInteger().ToByteArrayUnsigned();
        xb.CopyTo(result, 32 - xb.Length);
        yb.CopyTo(result, 64 - yb.Length);
        return result;
    }

    private static byte[] ToBytes32(BcInt v)
    {
        var raw = v.ToByteArrayUnsigned();
        var result = new byte[32];
        raw.CopyTo(result, 32 - raw.Length);
        return result;
    }
}

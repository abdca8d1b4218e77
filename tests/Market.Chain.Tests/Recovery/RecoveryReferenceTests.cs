using Market.Chain.Crypto;
using Market.TestSupport;
using BcInt = Org.BouncyCastle.Math.BigInteger;

namespace Market.Chain.Tests.Recovery;

/// <summary>
/// Our secp256k1 recovery (Crypto/Ec) against BouncyCastle's on thousands of random and edge
/// vectors: equal keys where both recover, equal refusals where either refuses.
/// </summary>
public class RecoveryReferenceTests
{
    private static readonly BcInt N = BouncyCastleRecovery.Order;

    [Fact]
    public void Recovers_the_signer_of_thousands_of_random_signatures_like_bouncycastle()
    {
        var rng = new Random(5);
        for (int i = 0; i < 2_000; i++)
        {
            var key = new EthKey(RandomScalar(rng));
            var hash = RandomBytes(rng, 32);
            var sig = key.SignHash(hash);
            var mine = Secp256k1.RecoverPublicKey(hash, sig);
            Assert.Equal(key.PublicKey, mine);
            Assert.Equal(BouncyCastleRecovery.Recover(hash, sig.R, sig.S, sig.RecoveryId), mine);
            Assert.Equal(key.Address, Secp256k1.Recover(hash, sig));
        }
    }

    [Fact]
    public void Random_r_s_and_recovery_ids_give_the_same_key_or_the_same_refusal()
    {
        // Random r hits a non-curve x about half the time, and recovery ids 2/3 almost always leave
        // the field: both refusals are compared too.
        var rng = new Random(8);
        int recovered = 0, refused = 0;
        for (int i = 0; i < 3_000; i++)
        {
            var hash = RandomBytes(rng, 32);
            var r = i % 10 == 0 ? SmallScalar(rng) : RandomScalar(rng);
            var s = RandomScalar(rng);
            var recId = i % 7 == 0 ? 2 + (i & 1) : i & 1;
            if (Compare(hash, r, s, recId)) recovered++; else refused++;
        }
        Assert.True(recovered > 1_000 && refused > 500, $"{recovered} recovered, {refused} refused");
    }

    [Fact]
    public void Edge_values_of_r_s_and_the_hash_agree_with_bouncycastle()
    {
        var n = BouncyCastleRecovery.Bytes32(N);
        var nMinus1 = BouncyCastleRecovery.Bytes32(N.Subtract(BcInt.One));
        var one = BouncyCastleRecovery.Bytes32(BcInt.One);
        var zero = new byte[32];
        var ff = Enumerable.Repeat((byte)0xff, 32).ToArray();
        var halfN = BouncyCastleRecovery.Bytes32(N.ShiftRight(1));
        var halfNPlus1 = BouncyCastleRecovery.Bytes32(N.ShiftRight(1).Add(BcInt.One));
        // An x just below p − n, so that r + n (recovery id 2/3) is still in the field.
        var smallR = BouncyCastleRecovery.Bytes32(BouncyCastleRecovery.FieldPrime.Subtract(N).Subtract(BcInt.Two));
        var scalars = new[] { zero, one, halfN, halfNPlus1, nMinus1, n, ff, smallR, Hex.Decode("0x79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798") };
        var hashes = new[] { zero, one, nMinus1, n, ff };
        int recovered = 0;
        foreach (var h in hashes)
        foreach (var r in scalars)
        foreach (var s in scalars)
        for (int recId = 0; recId < 4; recId++)
            if (Compare(h, r, s, recId)) recovered++;
        Assert.True(recovered > 100, $"{recovered} recovered");
    }

    [Theory]
    [InlineData(0, "r is outside")]
    [InlineData(1, "s is outside")]
    [InlineData(2, "r is outside")]
    [InlineData(3, "s is outside")]
    public void Refuses_r_or_s_of_zero_or_at_least_n(int which, string message)
    {
        var key = new EthKey(Keccak256.Hash("edge"));
        var hash = Keccak256.Hash("m");
        var sig = key.SignHash(hash);
        var bad = which < 2 ? new byte[32] : BouncyCastleRecovery.Bytes32(N);
        var edited = which % 2 == 0 ? new EthSignature(bad, sig.S, sig.RecoveryId) : new EthSignature(sig.R, bad, sig.RecoveryId);
        Assert.Contains(message, Assert.Throws<SignatureException>(() => Secp256k1.RecoverPublicKey(hash, edited)).Message);
    }

    [Fact]
    public void Refuses_an_r_that_is_not_on_the_curve_and_an_x_outside_the_field()
    {
        var hash = Keccak256.Hash("m");
        var s = BouncyCastleRecovery.Bytes32(BcInt.ValueOf(12345));
        // x = 5: 5³ + 7 = 132 is not a square mod p.
        var r = BouncyCastleRecovery.Bytes32(BcInt.ValueOf(5));
        Assert.Null(BouncyCastleRecovery.Recover(hash, r, s, 0));
        Assert.Contains("not the x coordinate", Assert.Throws<SignatureException>(() => Secp256k1.RecoverPublicKey(hash, new EthSignature(r, s, 0))).Message);
        var big = BouncyCastleRecovery.Bytes32(N.Subtract(BcInt.One));
        Assert.Contains("outside the field", Assert.Throws<SignatureException>(() => Secp256k1.RecoverPublicKey(hash, new EthSignature(big, s, 2))).Message);
    }

    [Theory]
    [InlineData(26)]
    [InlineData(29)]
    [InlineData(2)]
    [InlineData(255)]
    public void The_65_byte_form_refuses_v_other_than_27_28_0_1(int v)
    {
        var sig = new EthKey(Keccak256.Hash("v")).SignHash(Keccak256.Hash("m")).ToBytes();
        sig[64] = (byte)v;
        Assert.Throws<SignatureException>(() => EthSignature.FromBytes(sig));
    }

    [Fact]
    public void The_65_byte_form_refuses_high_s_and_accepts_its_low_twin()
    {
        var key = new EthKey(Keccak256.Hash("s"));
        var hash = Keccak256.Hash("m");
        var sig = key.SignHash(hash);
        var highS = BouncyCastleRecovery.Bytes32(N.Subtract(new BcInt(1, sig.S)));
        var high = new EthSignature(sig.R, highS, sig.RecoveryId ^ 1);
        Assert.Contains("upper half", Assert.Throws<SignatureException>(() => EthSignature.FromBytes(high.ToBytes())).Message);
        Assert.False(high.IsLowS);
        Assert.True(sig.IsLowS);
        // The raw recovery of (r, n − s) with the flipped parity is the same key: why high s must be refused.
        Assert.Equal(key.PublicKey, Secp256k1.RecoverPublicKey(hash, high));
        Assert.Equal(key.Address, Secp256k1.Recover(hash, EthSignature.FromBytes(sig.ToBytes())));
    }

    /// <summary>True when both recovered (the same key), false when both refused; fails otherwise.</summary>
    private static bool Compare(byte[] hash, byte[] r, byte[] s, int recId)
    {
        var expected = BouncyCastleRecovery.Recover(hash, r, s, recId);
        byte[]? mine;
        try { mine = Secp256k1.RecoverPublicKey(hash, new EthSignature(r, s, recId)); }
        catch (SignatureException) { mine = null; }
        Assert.True(expected is null == mine is null, $"r={Hex.Encode(r)} s={Hex.Encode(s)} v={recId} h={Hex.Encode(hash)}: BouncyCastle {(expected is null ? "refused" : "recovered")}");
        if (expected is not null) Assert.Equal(expected, mine);
        return expected is not null;
    }

    private static byte[] RandomBytes(Random rng, int n)
    {
        var b = new byte[n];
        rng.NextBytes(b);
        return b;
    }

    private static byte[] RandomScalar(Random rng)
    {
        while (true)
        {
            var b = RandomBytes(rng, 32);
            var v = new BcInt(1, b);
            if (v.SignValue > 0 && v.CompareTo(N) < 0) return b;
        }
    }

    private static byte[] SmallScalar(Random rng) => BouncyCastleRecovery.Bytes32(BcInt.ValueOf(rng.Next(1, 1_000_000)));
}

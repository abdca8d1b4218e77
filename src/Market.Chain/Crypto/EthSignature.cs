namespace Market.Chain.Crypto;

/// <summary>
/// An ECDSA signature (r, s: 32 bytes each, big-endian) with its recovery id (0–3; in practice 0/1).
/// The 65-byte form used by personal_sign and EIP-712 is r ‖ s ‖ v with v = 27 + recoveryId.
/// </summary>
public sealed class EthSignature
{
    public EthSignature(byte[] r, byte[] s, int recoveryId)
    {
        if (r is null || r.Length != 32) throw new SignatureException("r must have 32 bytes");
        if (s is null || s.Length != 32) throw new SignatureException("s must have 32 bytes");
        if (recoveryId is < 0 or > 3) throw new SignatureException($"recovery id must be 0..3, got {recoveryId}");
        R = r;
        S = s;
        RecoveryId = recoveryId;
    }

    public byte[] R { get; }
    public byte[] S { get; }
    public int RecoveryId { get; }

    /// <summary>The parity bit typed transactions carry (0 or 1).</summary>
    public int YParity => RecoveryId & 1;

    /// <summary>27 or 28, as personal_sign and EIP-712 signatures carry it.</summary>
    public int V => 27 + YParity;

    public bool IsLowS => !Ec.U256.Less(HalfN, Ec.U256.FromBigEndian(S));

    public byte[] ToBytes()
    {
        var result = new byte[65];
        R.CopyTo(result, 0);
        S.CopyTo(result, 32);
        result[64] = (byte)V;
        return result;
    }

    public string ToHex() => Hex.Encode(ToBytes());

    /// <summary>
    /// Parses r ‖ s ‖ v (65 bytes, v ∈ {0, 1, 27, 28}). Rejects s in the upper half of the order
    /// (malleable, EIP-2) and r or s outside [1, n).
    /// </summary>
    public static EthSignature FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != 65) throw new SignatureException($"a signature has 65 bytes, got {bytes.Length}");
        int v = bytes[64];
        int recId = v switch
        {
            0 or 1 => v,
            27 or 28 => v - 27,
            _ => throw new SignatureException($"v must be 27 or 28 (or 0/1), got {v}"),
        };
        var sig = new EthSignature(bytes[..32].ToArray(), bytes[32..64].ToArray(), recId);
        sig.EnsureCanonical();
        return sig;
    }

    public static EthSignature FromHex(string hex) => FromBytes(Hex.Decode(hex));

    /// <summary>Throws unless 0 &lt; r &lt; n and 0 &lt; s ≤ n/2.</summary>
    public void EnsureCanonical()
    {
        var r = Ec.U256.FromBigEndian(R);
        var s = Ec.U256.FromBigEndian(S);
        if (r.IsZero || !Ec.U256.Less(r, Ec.EcRecovery.N)) throw new SignatureException("r is outside [1, n)");
        if (s.IsZero) throw new SignatureException("s is zero");
        if (Ec.U256.Less(HalfN, s)) throw new SignatureException("s is in the upper half of the curve order (malleable signature)");
    }

    /// <summary>⌊n / 2⌋, the largest s EIP-2 allows.</summary>
    private static readonly Ec.U256 HalfN = Ec.U256.Half(Ec.EcRecovery.N, 0);
}

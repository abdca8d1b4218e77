using System.Runtime.CompilerServices;

namespace Market.Chain.Crypto;

/// <summary>
/// Keccak-256 as Ethereum uses it (original Keccak padding 0x01, not SHA3's 0x06 — .NET's
/// SHA3_256 is a different hash). A straightforward Keccak-f[1600] on 25 ulongs; measured faster
/// than BouncyCastle's KeccakDigest (see docs/chain.md) and allocation-free apart from the result.
/// </summary>
public static class Keccak256
{
    private const int Rate = 136;

    private static readonly ulong[] RoundConstants =
    [
        0x0000000000000001UL, 0x0000000000008082UL, 0x800000000000808aUL, 0x8000000080008000UL,
        0x000000000000808bUL, 0x0000000080000001UL, 0x8000000080008081UL, 0x8000000000008009UL,
        0x000000000000008aUL, 0x0000000000000088UL, 0x0000000080008009UL, 0x000000008000000aUL,
        0x000000008000808bUL, 0x800000000000008bUL, 0x8000000000008089UL, 0x8000000000008003UL,
        0x8000000000008002UL, 0x8000000000000080UL, 0x000000000000800aUL, 0x800000008000000aUL,
        0x8000000080008081UL, 0x8000000000008080UL, 0x0000000080000001UL, 0x8000000080008008UL,
    ];

    public static byte[] Hash(ReadOnlySpan<byte> data)
    {
        var result = new byte[32];
        Hash(data, result);
        return result;
    }

    public static byte[] Hash(string utf8Text) => Hash(System.Text.Encoding.UTF8.GetBytes(utf8Text));

    public static void Hash(ReadOnlySpan<byte> data, Span<byte> output32)
    {
        Span<ulong> state = stackalloc ulong[25];
        state.Clear();
        while (data.Length >= Rate)
        {
            Absorb(state, data[..Rate]);
            Permute(state);
            data = data[Rate..];
        }
        Span<byte> last = stackalloc byte[Rate];
        last.Clear();
        data.CopyTo(last);
        last[data.Length] ^= 0x01;
        last[Rate - 1] ^= 0x80;
        Absorb(state, last);
        Permute(state);
        for (int i = 0; i < 4; i++)
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(output32[(8 * i)..], state[i]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Absorb(Span<ulong> state, ReadOnlySpan<byte> block)
    {
        for (int i = 0; i < Rate / 8; i++)
            state[i] ^= System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(block[(8 * i)..]);
    }

    private static void Permute(Span<ulong> s)
    {
        ulong a00 = s[0], a01 = s[1], a02 = s[2], a03 = s[3], a04 = s[4];
        ulong a05 = s[5], a06 = s[6], a07 = s[7], a08 = s[8], a09 = s[9];
        ulong a10 = s[10], a11 = s[11], a12 = s[12], a13 = s[13], a14 = s[14];
        ulong a15 = s[15], a16 = s[16], a17 = s[17], a18 = s[18], a19 = s[19];
        ulong a20 = s[20], a21 = s[21], a22 = s[22], a23 = s[23], a24 = s[24];
        for (int round = 0; round < 24; round++)
        {
            // theta
            ulong c0 = a00 ^ a05 ^ a10 ^ a15 ^ a20, c1 = a01 ^ a06 ^ a11 ^ a16 ^ a21;
            ulong c2 = a02 ^ a07 ^ a12 ^ a17 ^ a22, c3 = a03 ^ a08 ^ a13 ^ a18 ^ a23;
            ulong c4 = a04 ^ a09 ^ a14 ^ a19 ^ a24;
            ulong d0 = c4 ^ Rol(c1, 1), d1 = c0 ^ Rol(c2, 1), d2 = c1 ^ Rol(c3, 1), d3 = c2 ^ Rol(c4, 1), d4 = c3 ^ Rol(c0, 1);
            a00 ^= d0; a05 ^= d0; a10 ^= d0; a15 ^= d0; a20 ^= d0;
            a01 ^= d1; a06 ^= d1; a11 ^= d1; a16 ^= d1; a21 ^= d1;
            a02 ^= d2; a07 ^= d2; a12 ^= d2; a17 ^= d2; a22 ^= d2;
            a03 ^= d3; a08 ^= d3; a13 ^= d3; a18 ^= d3; a23 ^= d3;
            a04 ^= d4; a09 ^= d4; a14 ^= d4; a19 ^= d4; a24 ^= d4;
            // rho + pi: b[y, 2x+3y] = rot(a[x, y], r[x, y])
            ulong b00 = a00, b10 = Rol(a01, 1), b20 = Rol(a02, 62), b05 = Rol(a03, 28), b15 = Rol(a04, 27);
            ulong b16 = Rol(a05, 36), b01 = Rol(a06, 44), b11 = Rol(a07, 6), b21 = Rol(a08, 55), b06 = Rol(a09, 20);
            ulong b07 = Rol(a10, 3), b17 = Rol(a11, 10), b02 = Rol(a12, 43), b12 = Rol(a13, 25), b22 = Rol(a14, 39);
            ulong b23 = Rol(a15, 41), b08 = Rol(a16, 45), b18 = Rol(a17, 15), b03 = Rol(a18, 21), b13 = Rol(a19, 8);
            ulong b14 = Rol(a20, 18), b24 = Rol(a21, 2), b09 = Rol(a22, 61), b19 = Rol(a23, 56), b04 = Rol(a24, 14);
            // chi
            a00 = b00 ^ (~b01 & b02); a01 = b01 ^ (~b02 & b03); a02 = b02 ^ (~b03 & b04); a03 = b03 ^ (~b04 & b00); a04 = b04 ^ (~b00 & b01);
            a05 = b05 ^ (~b06 & b07); a06 = b06 ^ (~b07 & b08); a07 = b07 ^ (~b08 & b09); a08 = b08 ^ (~b09 & b05); a09 = b09 ^ (~b05 & b06);
            a10 = b10 ^ (~b11 & b12); a11 = b11 ^ (~b12 & b13); a12 = b12 ^ (~b13 & b14); a13 = b13 ^ (~b14 & b10); a14 = b14 ^ (~b10 & b11);
            a15 = b15 ^ (~b16 & b17); a16 = b16 ^ (~b17 & b18); a17 = b17 ^ (~b18 & b19); a18 = b18 ^ (~b19 & b15); a19 = b19 ^ (~b15 & b16);
            a20 = b20 ^ (~b21 & b22); a21 = b21 ^ (~b22 & b23); a22 = b22 ^ (~b23 & b24); a23 = b23 ^ (~b24 & b20); a24 = b24 ^ (~b20 & b21);
            // iota
            a00 ^= RoundConstants[round];
        }
        s[0] = a00; s[1] = a01; s[2] = a02; s[3] = a03; s[4] = a04;
        s[5] = a05; s[6] = a06; s[7] = a07; s[8] = a08; s[9] = a09;
        s[10] = a10; s[11] = a11; s[12] = a12; s[13] = a13; s[14] = a14;
        s[15] = a15; s[16] = a16; s[17] = a17; s[18] = a18; s[19] = a19;
        s[20] = a20; s[21] = a21; s[22] = a22; s[23] = a23; s[24] = a24;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Rol(ulong x, int n) => (x << n) | (x >> (64 - n));
}

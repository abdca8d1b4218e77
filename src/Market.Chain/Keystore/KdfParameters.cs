namespace Market.Chain.Keystore;

/// <summary>Key-derivation settings for a new keystore file.</summary>
public abstract record KdfParameters
{
    public int DkLen { get; init; } = 32;
}

/// <summary>scrypt; the defaults are geth's and ethers' (N = 2^17, r = 8, p = 1). Use small N only in tests.</summary>
public sealed record ScryptParameters : KdfParameters
{
    public int N { get; init; } = 131072;
    public int R { get; init; } = 8;
    public int P { get; init; } = 1;
}

/// <summary>PBKDF2 with HMAC-SHA256.</summary>
public sealed record Pbkdf2Parameters : KdfParameters
{
    public int Iterations { get; init; } = 262144;
}

using Market.Chain.Crypto;
using Market.Chain.Json;

namespace Market.Chain.Bids;

/// <summary>jobSpecHash = Keccak-256(UTF-8(canonical JSON of the job spec)); see <see cref="CanonicalJson"/>.</summary>
public static class JobSpecHash
{
    public static byte[] Compute(string jobSpecJson) => Keccak256.Hash(System.Text.Encoding.UTF8.GetBytes(CanonicalJson.Canonicalize(jobSpecJson)));

    public static byte[] Compute<T>(T jobSpec, System.Text.Json.JsonSerializerOptions? options = null) =>
        Keccak256.Hash(System.Text.Encoding.UTF8.GetBytes(CanonicalJson.Serialize(jobSpec, options)));

    /// <summary>True when the JSON canonicalizes to the hash the consumer signed.</summary>
    public static bool Matches(string jobSpecJson, ReadOnlySpan<byte> expectedHash) => Compute(jobSpecJson).AsSpan().SequenceEqual(expectedHash);
}

using System.Text.RegularExpressions;

namespace ProviderAgent.Images;

/// <summary>
/// Parses what a user types to name an image: "name", "name:tag", "registry/path/name:tag",
/// "sha256:&lt;hex&gt;" or a hex prefix of at least 12 digits. A bare name means ":latest", as in Docker.
/// </summary>
public static partial class ImageReference
{
    [GeneratedRegex("^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?::[0-9]+)?(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")]
    private static partial Regex TagPattern();

    [GeneratedRegex("^(sha256:)?[a-f0-9]{12,64}$")]
    private static partial Regex DigestPattern();

    public static bool LooksLikeDigest(string text) => DigestPattern().IsMatch(text);

    /// <summary>Returns "name:tag", defaulting the tag to latest; throws on a malformed name.</summary>
    public static string Normalize(string reference)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reference);
        int slash = reference.LastIndexOf('/');
        int colon = reference.LastIndexOf(':');
        string name = reference, tag = "latest";
        if (colon > slash) { name = reference[..colon]; tag = reference[(colon + 1)..]; }
        if (!NamePattern().IsMatch(name))
            throw new ArgumentException($"'{reference}' is not a valid image name (lowercase letters, digits, '.', '_', '-', '/' separated)", nameof(reference));
        if (!TagPattern().IsMatch(tag))
            throw new ArgumentException($"'{tag}' is not a valid tag", nameof(reference));
        return $"{name}:{tag}";
    }
}

using System.Security.Cryptography;

namespace ProviderAgent.Runtime;

/// <summary>Container ids: a fixed prefix (so the agent recognises its own) and 16 random hex digits.</summary>
public static class ContainerIds
{
    public const string DefaultPrefix = "cm-";

    public static string New(string prefix = DefaultPrefix) =>
        prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    /// <summary>True for ids this agent could have made: prefix plus [a-z0-9-] only, so an id is always safe in a path.</summary>
    public static bool IsOwn(string id, string prefix = DefaultPrefix) =>
        id.StartsWith(prefix, StringComparison.Ordinal) && id.Length > prefix.Length && id.Length <= 64
        && id.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-');

    public static void ThrowIfNotOwn(string id, string prefix)
    {
        if (!IsOwn(id, prefix)) throw new ArgumentException($"'{id}' is not a container of this agent (prefix '{prefix}')", nameof(id));
    }
}

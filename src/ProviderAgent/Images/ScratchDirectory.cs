namespace ProviderAgent.Images;

internal static class ScratchDirectory
{
    /// <summary>A new, uniquely named folder under <paramref name="root"/> (Directory.CreateTempSubdirectory only works in /tmp).</summary>
    public static string Create(string root, string prefix)
    {
        Directory.CreateDirectory(root);
        string path = Path.Combine(root, prefix + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(path);
        return path;
    }
}

namespace Market.Cli.Cli;

/// <summary>Writes a file readable by its owner only (keystores, session tokens), atomically via a temporary file.</summary>
internal static class PrivateFile
{
    public static void Write(string path, string text, bool overwrite)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var tmp = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var f = new FileStream(tmp, options))
        using (var w = new StreamWriter(f)) w.Write(text);
        File.Move(tmp, path, overwrite);
    }
}

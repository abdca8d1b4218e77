using System.Runtime.CompilerServices;
using System.Text;

namespace ProviderAgent.Runtime;

/// <summary>Reads the capped log files a container's shim writes, whole or as a live tail.</summary>
internal static class LogFiles
{
    public static CapturedOutput Read(string path, string marker)
    {
        if (!File.Exists(path)) return CapturedOutput.Empty;
        string text = Encoding.UTF8.GetString(File.ReadAllBytes(path));
        return new CapturedOutput(text, text.Contains(marker, StringComparison.Ordinal));
    }

    /// <summary>
    /// Follows both files from the start, yielding new text as it appears, until
    /// <paramref name="finished"/> completes and everything written has been read.
    /// </summary>
    public static async IAsyncEnumerable<LogChunk> TailAsync(string stdoutPath, string stderrPath, Task finished,
        TimeSpan poll, [EnumeratorCancellation] CancellationToken ct)
    {
        var offsets = new long[2];
        var decoders = new[] { Encoding.UTF8.GetDecoder(), Encoding.UTF8.GetDecoder() };
        var paths = new[] { stdoutPath, stderrPath };
        var names = new[] { "stdout", "stderr" };
        while (true)
        {
            bool done = finished.IsCompleted; // read once more after completion, then stop
            for (int i = 0; i < 2; i++)
            {
                string? text = ReadNew(paths[i], ref offsets[i], decoders[i]);
                if (!string.IsNullOrEmpty(text)) yield return new LogChunk(names[i], text);
            }
            if (done) yield break;
            await Task.WhenAny(finished, Task.Delay(poll, ct));
            ct.ThrowIfCancellationRequested();
        }
    }

    private static string? ReadNew(string path, ref long offset, Decoder decoder)
    {
        try
        {
            using var f = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (f.Length <= offset) return null;
            f.Seek(offset, SeekOrigin.Begin);
            var bytes = new byte[f.Length - offset];
            int n = f.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
            offset += n;
            var chars = new char[decoder.GetCharCount(bytes, 0, n)];
            decoder.GetChars(bytes, 0, n, chars, 0);
            return new string(chars);
        }
        catch (FileNotFoundException) { return null; }
        catch (DirectoryNotFoundException) { return null; }
    }
}

using System.Globalization;
using System.Text.RegularExpressions;
using Market.Cli.Cli;

namespace Market.Cli.Text;

/// <summary>Durations ("90s", "10m", "2h", "1d") and points in time (a duration from now, ISO 8601, or unix seconds).</summary>
internal static partial class TimeSpec
{
    public static TimeSpan Duration(string text)
    {
        var m = DurationPattern().Match(text.Trim());
        if (!m.Success) throw CliException.Usage($"duration '{text}' must look like 30s, 10m, 2h or 1d");
        var n = long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        var seconds = m.Groups[2].Value switch { "" or "s" => n, "m" => n * 60, "h" => n * 3600, _ => n * 86400 };
        if (n <= 0 || seconds > 365L * 86400) throw CliException.Usage($"duration '{text}' must be positive and at most a year");
        return TimeSpan.FromSeconds(seconds);
    }

    /// <summary>Unix seconds of <paramref name="text"/>: a duration after <paramref name="now"/>, an ISO 8601 time (UTC unless it says), or unix seconds.</summary>
    public static long Deadline(string text, DateTimeOffset now)
    {
        var s = text.Trim();
        long at;
        if (s.Length >= 9 && s.All(char.IsAsciiDigit) && long.TryParse(s, CultureInfo.InvariantCulture, out var unix)) at = unix;
        else if (DurationPattern().IsMatch(s)) at = now.ToUnixTimeSeconds() + (long)Duration(s).TotalSeconds;
        else if (DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var iso)) at = iso.ToUnixTimeSeconds();
        else throw CliException.Usage($"deadline '{text}' must be a duration (10m), an ISO 8601 time or unix seconds");
        if (at <= now.ToUnixTimeSeconds()) throw CliException.Usage($"deadline '{text}' is not in the future");
        return at;
    }

    [GeneratedRegex(@"^(\d{1,9})([smhd]?)$")]
    private static partial Regex DurationPattern();
}

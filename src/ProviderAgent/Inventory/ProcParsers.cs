using System.Globalization;

namespace ProviderAgent.Inventory;

/// <summary>Parsers for /proc text, separate from the I/O so tests can feed them fixed text.</summary>
public static class ProcParsers
{
    public sealed record CpuInfo(string Model, int Processors, double MhzMax);

    public static CpuInfo ParseCpuInfo(string text)
    {
        string model = "unknown";
        int processors = 0;
        double mhz = 0;
        foreach (var raw in text.Split('\n'))
        {
            int colon = raw.IndexOf(':');
            if (colon < 0) continue;
            var key = raw[..colon].Trim();
            var value = raw[(colon + 1)..].Trim();
            switch (key)
            {
                case "processor": processors++; break;
                // x86 says "model name"; arm64 kernels have no model name, only "CPU part".
                case "model name" or "Model" when model == "unknown": model = value; break;
                case "cpu MHz" when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var m):
                    mhz = Math.Max(mhz, m);
                    break;
            }
        }
        return new CpuInfo(model, processors, mhz);
    }

    /// <summary>MemTotal and MemAvailable in bytes (the file states kB, meaning KiB).</summary>
    public static (ulong Total, ulong Available) ParseMemInfo(string text)
    {
        ulong total = 0, available = 0;
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith("MemTotal:", StringComparison.Ordinal)) total = KiB(line);
            else if (line.StartsWith("MemAvailable:", StringComparison.Ordinal)) available = KiB(line);
        }
        return (total, available);

        static ulong KiB(string line)
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return parts.Length >= 2 && ulong.TryParse(parts[1], out var v) ? v * 1024 : 0;
        }
    }
}

using System.Runtime.InteropServices;

namespace Market.Benchmarks.Matching;

/// <summary>
/// CPU time of the calling thread (Linux CLOCK_THREAD_CPUTIME_ID). Printed beside wall-clock
/// figures because a shared 2-core box under load steals wall time the engine never used.
/// </summary>
internal static class ThreadClock
{
    private const int ClockThreadCpuTimeId = 3;

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec { public long Sec, NSec; }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec ts);

    /// <summary>Seconds of CPU this thread has used, or NaN where the clock is unavailable.</summary>
    public static double Seconds()
    {
        try
        {
            return ClockGetTime(ClockThreadCpuTimeId, out var ts) == 0 ? ts.Sec + ts.NSec * 1e-9 : double.NaN;
        }
        catch (DllNotFoundException) { return double.NaN; }
        catch (EntryPointNotFoundException) { return double.NaN; }
    }
}

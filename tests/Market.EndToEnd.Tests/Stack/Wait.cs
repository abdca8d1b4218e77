namespace Market.EndToEnd.Tests.Stack;

/// <summary>Polls until a condition holds: the only way these tests wait (never a fixed sleep as an assertion).</summary>
public static class Wait
{
    public static async Task<T> ForAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan timeout, string what)
    {
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            var value = await read();
            if (done(value)) return value;
            if (DateTime.UtcNow > until) throw new TimeoutException($"waited {timeout.TotalSeconds} s for {what}; last seen: {value}");
            await Task.Delay(200);
        }
    }
}

/// <summary>docs/units-and-money.md: the grade a size in mNCU falls in (the chain and the engine insist on it).</summary>
public static class Grades
{
    public static byte Of(ulong milliNcu) => milliNcu switch
    {
        0 => throw new ArgumentOutOfRangeException(nameof(milliNcu), "0 mNCU has no grade"),
        > 1_000_000 => 1,
        >= 10_000 => 2,
        >= 500 => 3,
        _ => 4,
    };
}

using System.Runtime.CompilerServices;

namespace Market.Matching.Model;

/// <summary>
/// Grade thresholds on milli-NCU exactly as docs/units-and-money.md (and the contracts) define them:
/// 1 super (&gt; 1,000,000), 2 large [10,000, 1,000,000], 3 medium [500, 10,000), 4 small [1, 500).
/// Note the asymmetry: 1,000,000 itself is grade 2, 10,000 is grade 2, 500 is grade 3.
/// </summary>
public static class Grades
{
    public const byte None = 0;
    public const byte Super = 1;
    public const byte Large = 2;
    public const byte Medium = 3;
    public const byte Small = 4;

    public const ulong LargeMax = 1_000_000;
    public const ulong LargeMin = 10_000;
    public const ulong MediumMin = 500;

    /// <summary>The grade of a capacity or demand of <paramref name="milliNcu"/>; 0 for 0 (no grade, rejected everywhere).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static byte GradeOf(ulong milliNcu)
    {
        if (milliNcu == 0) return None;
        if (milliNcu > LargeMax) return Super;
        if (milliNcu >= LargeMin) return Large;
        if (milliNcu >= MediumMin) return Medium;
        return Small;
    }

    public static bool IsValid(byte grade) => grade is >= Super and <= Small;

    public static string Name(byte grade) => grade switch
    {
        Super => "super",
        Large => "large",
        Medium => "medium",
        Small => "small",
        _ => "none",
    };
}

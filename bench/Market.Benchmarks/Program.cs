using System.Reflection;
using BenchmarkDotNet.Running;

namespace Market.Benchmarks;

/// <summary>
/// Two modes. `figures GROUP...` runs every <see cref="IFigureGroup"/> of those groups and prints
/// one "BENCH name value unit" line per figure (what scripts/bench.sh reads). Anything else goes to
/// BenchmarkDotNet's switcher, for interactive runs of the [Benchmark] classes.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "figures")
        {
            var wanted = args.Skip(1).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var groups = typeof(Program).Assembly.GetTypes()
                .Where(t => typeof(IFigureGroup).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
                .Select(t => (IFigureGroup)Activator.CreateInstance(t)!)
                .Where(g => wanted.Count == 0 || wanted.Contains(g.Group))
                .OrderBy(g => g.Group, StringComparer.Ordinal)
                .ToList();
            foreach (var g in groups) g.Run(Figure.Print);
            return 0;
        }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}

/// <summary>A set of figures printed as BENCH lines, selected by its group name (e.g. "matching").</summary>
public interface IFigureGroup
{
    string Group { get; }
    void Run(Action<string, double, string> report);
}

public static class Figure
{
    public static void Print(string name, double value, string unit) =>
        Console.WriteLine(FormattableString.Invariant($"BENCH {name} {value:0.###} {unit}"));
}

namespace ProviderAgent.Inventory;

/// <summary>
/// The historical observed peak H_c per compute type, fed by the daemon from finished jobs that
/// state their work (W FLOP over wall time). Only the peak matters for q, so only it is kept,
/// plus the sample count for reporting.
/// </summary>
public sealed class ObservedThroughput
{
    private readonly Lock _gate = new();
    private readonly Dictionary<ComputeType, (double Peak, int Samples)> _byType = [];

    public void Record(ComputeType type, double flop, TimeSpan wall)
    {
        if (flop <= 0 || wall <= TimeSpan.Zero) return;
        double gflops = flop / wall.TotalSeconds / 1e9;
        lock (_gate)
        {
            _byType.TryGetValue(type, out var cur);
            _byType[type] = (Math.Max(cur.Peak, gflops), cur.Samples + 1);
        }
    }

    public double PeakGflops(ComputeType type)
    {
        lock (_gate) return _byType.TryGetValue(type, out var v) ? v.Peak : 0;
    }

    public int Samples(ComputeType type)
    {
        lock (_gate) return _byType.TryGetValue(type, out var v) ? v.Samples : 0;
    }
}

namespace Market.Matching.Model;

/// <summary>
/// The observed-peak history H_c behind q. Estimator: the nearest-rank <see cref="Percentile"/>
/// (default 90th) of the last <see cref="Window"/> (default 32) observed peaks, in FLOPS-equivalent.
/// Why a high percentile of a window: an average understates what the machine does sustain, the
/// maximum lets one lucky spike (turbo, a cached run) overstate it, and the window lets the figure
/// follow thermal ageing or a changed configuration. Being an order statistic of the samples, the
/// estimate never exceeds the highest observed peak and is never negative (negative samples are ignored).
/// </summary>
public sealed class PeakHistory
{
    private readonly double[] _ring;
    private readonly double[] _scratch;
    private int _next;

    public PeakHistory(int window = 32, int percentile = 90)
    {
        if (window < 1) throw new ArgumentOutOfRangeException(nameof(window));
        if (percentile is < 1 or > 100) throw new ArgumentOutOfRangeException(nameof(percentile));
        _ring = new double[window];
        _scratch = new double[window];
        Percentile = percentile;
    }

    public int Window => _ring.Length;
    public int Percentile { get; }
    public int Count { get; private set; }

    public void Observe(double peak)
    {
        if (!(peak >= 0) || double.IsInfinity(peak)) return;
        _ring[_next] = peak;
        _next = (_next + 1) % _ring.Length;
        if (Count < _ring.Length) Count++;
    }

    /// <summary>H_c: nearest-rank percentile of the window; 0 with no samples.</summary>
    public double Estimate()
    {
        if (Count == 0) return 0;
        Array.Copy(_ring, _scratch, Count);
        Array.Sort(_scratch, 0, Count);
        int rank = (int)Math.Ceiling(Percentile / 100.0 * Count); // 1-based nearest rank
        return _scratch[Math.Clamp(rank, 1, Count) - 1];
    }

    public double Max()
    {
        double m = 0;
        for (int i = 0; i < Count; i++) m = Math.Max(m, _ring[i]);
        return m;
    }
}

namespace Market.Api.Tests.Infrastructure;

/// <summary>Real time plus an offset the test moves by hand (so hosted services and the chain still see time pass).</summary>
public sealed class ManualClock : TimeProvider
{
    private TimeSpan _offset;
    public override DateTimeOffset GetUtcNow() => DateTimeOffset.UtcNow + _offset;
    public void Advance(TimeSpan by) => _offset += by;
}

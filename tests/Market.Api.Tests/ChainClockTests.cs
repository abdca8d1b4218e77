using Market.Api.Infrastructure.Chain;
using Microsoft.Extensions.Options;

namespace Market.Api.Tests;

public sealed class ChainClockTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
    private static ChainClock NewClock() => new(new ChainContext(Options.Create(new ChainOptions())), TimeProvider.System);

    [Fact]
    public void A_chain_ahead_of_the_wall_clock_is_carried_from_when_its_latest_block_was_first_seen()
    {
        var c = NewClock();
        c.Observe(7, T0.ToUnixTimeSeconds() + 10, T0);               // block 7 is 10 s ahead of the wall
        c.Observe(7, T0.ToUnixTimeSeconds() + 10, T0.AddSeconds(3)); // read again: still block 7
        // Six seconds after block 7 appeared, a lease that began in it has run six seconds.
        Assert.Equal(T0.ToUnixTimeSeconds() + 16, c.Carried(T0.AddSeconds(6)));
        c.Observe(8, T0.ToUnixTimeSeconds() + 11, T0.AddSeconds(6)); // a new block restarts the carry
        Assert.Equal(T0.ToUnixTimeSeconds() + 12, c.Carried(T0.AddSeconds(7)));
    }

    [Fact]
    public void It_is_never_behind_the_wall_clock()
    {
        var c = NewClock();
        Assert.Equal(T0.ToUnixTimeSeconds(), c.Carried(T0));          // nothing read yet
        c.Observe(3, T0.ToUnixTimeSeconds() - 100, T0);               // a chain far behind
        Assert.Equal(T0.ToUnixTimeSeconds() + 5, c.Carried(T0.AddSeconds(5)));
    }
}

using Market.Api.Application.Auth;

namespace Market.Api.Tests;

public sealed class SiweMessageTests
{
    private static readonly SiweMessage Sample = new(
        "market.local", "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", "Sign in to Compute Market.",
        "http://market.local/v1/auth", 31337, "k3Jd8sQ2pL0aZ9xw",
        new DateTimeOffset(2026, 11, 22, 3, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 22, 3, 5, 0, TimeSpan.Zero));

    [Fact]
    public void Formats_in_the_eip4361_layout()
    {
        Assert.Equal("""
            market.local wants you to sign in with your Ethereum account:
            0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266

            Sign in to Compute Market.

            URI: http://market.local/v1/auth
            Version: 1
            Chain ID: 31337
            Nonce: k3Jd8sQ2pL0aZ9xw
            Issued At: 2026-11-22T03:00:00Z
            Expiration Time: 2026-11-22T03:05:00Z
            """.Replace("\r\n", "\n"), Sample.Format());
    }

    [Fact]
    public void Parse_round_trips() => Assert.Equal(Sample, SiweMessage.Parse(Sample.Format()));

    [Fact]
    public void Parse_round_trips_without_a_statement()
    {
        var m = Sample with { Statement = null };
        Assert.Equal(m, SiweMessage.Parse(m.Format()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("hello")]
    [InlineData("Version: 1")]
    public void Garbage_is_a_format_error(string text) => Assert.Throws<FormatException>(() => SiweMessage.Parse(text));

    [Theory]
    [InlineData("Version: 1", "Version: 2")]
    [InlineData("Chain ID: 31337", "Chain ID: -1")]
    [InlineData("Issued At: 2026-11-22T03:00:00Z", "Issued At: yesterday")]
    [InlineData("Nonce: k3Jd8sQ2pL0aZ9xw", "Nonce: ")]
    [InlineData("Expiration Time: 2026-11-22T03:05:00Z", "Expiration Time: 2026-11-22T03:05:00Z\nextra")]
    public void A_tampered_field_is_a_format_error(string from, string to) =>
        Assert.Throws<FormatException>(() => SiweMessage.Parse(Sample.Format().Replace(from, to)));
}

using System.Numerics;
using Market.Cli.Cli;
using Market.Cli.Text;

namespace Market.Cli.Tests.Unit;

public sealed class TextParsingTests
{
    [Theory]
    [InlineData("12.5", 6, "12500000")]
    [InlineData("12", 6, "12000000")]
    [InlineData("0.000001", 6, "1")]
    [InlineData(".5", 6, "500000")]
    [InlineData("1000000000000000000000", 18, "1000000000000000000000000000000000000000")]
    [InlineData("7", 0, "7")]
    public void Amounts_are_exact_base_units(string text, int decimals, string units) =>
        Assert.Equal(BigInteger.Parse(units), TokenAmount.Parse(text, decimals));

    [Theory]
    [InlineData("0.0000001", 6, "decimals")]
    [InlineData("-1", 6, "must be a number")]
    [InlineData("1e6", 6, "must be a number")]
    [InlineData("1.", 6, "must be a number")]
    [InlineData("", 6, "must be a number")]
    [InlineData("0", 6, "positive")]
    [InlineData("0.000", 6, "positive")]
    [InlineData("1,5", 6, "must be a number")]
    public void Bad_amounts_are_usage_errors(string text, int decimals, string message)
    {
        var e = Assert.Throws<CliException>(() => TokenAmount.Parse(text, decimals));
        Assert.Equal(ExitCodes.Usage, e.ExitCode);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Base_units_are_whole_numbers()
    {
        Assert.Equal(new BigInteger(2_000_000), TokenAmount.Parse("2000000", 6, baseUnits: true));
        Assert.Throws<CliException>(() => TokenAmount.Parse("2.5", 6, baseUnits: true));
        Assert.Throws<CliException>(() => TokenAmount.Parse("0", 6, baseUnits: true));
    }

    [Theory]
    [InlineData("12500000", 6, "12.5")]
    [InlineData("1", 6, "0.000001")]
    [InlineData("0", 6, "0")]
    [InlineData("5000000", 6, "5")]
    [InlineData("-1500000", 6, "-1.5")]
    [InlineData("42", 0, "42")]
    public void Amounts_format_without_rounding(string units, int decimals, string text) =>
        Assert.Equal(text, TokenAmount.Format(BigInteger.Parse(units), decimals));

    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);

    [Theory]
    [InlineData("10m", 1_800_000_600)]
    [InlineData("90s", 1_800_000_090)]
    [InlineData("90", 1_800_000_090)]
    [InlineData("2h", 1_800_007_200)]
    [InlineData("1d", 1_800_086_400)]
    [InlineData("1800000500", 1_800_000_500)]
    public void Deadlines_from_durations_and_unix_seconds(string text, long expected) => Assert.Equal(expected, TimeSpec.Deadline(text, Now));

    [Theory]
    [InlineData("2028-01-15T08:00:00Z", 0)]
    [InlineData("2028-01-15T08:00:00", 0)]
    [InlineData("2028-01-15T10:00:00+02:00", 0)]
    public void ISO_times_are_UTC_unless_they_say(string text, int _) =>
        Assert.Equal(new DateTimeOffset(2028, 1, 15, 8, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds(), TimeSpec.Deadline(text, Now));

    [Theory]
    [InlineData("1799999999")]
    [InlineData("2020-01-01T00:00:00Z")]
    [InlineData("soon")]
    [InlineData("10 minutes")]
    [InlineData("0m")]
    [InlineData("-5m")]
    public void Past_or_unreadable_deadlines_are_usage_errors(string text) =>
        Assert.Equal(ExitCodes.Usage, Assert.Throws<CliException>(() => TimeSpec.Deadline(text, Now)).ExitCode);

    [Fact]
    public void Durations()
    {
        Assert.Equal(TimeSpan.FromMinutes(5), TimeSpec.Duration("5m"));
        Assert.Throws<CliException>(() => TimeSpec.Duration("400d"));
        Assert.Throws<CliException>(() => TimeSpec.Duration("5y"));
    }
}

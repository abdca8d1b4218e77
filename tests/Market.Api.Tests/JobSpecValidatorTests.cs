using Market.Api.Application.Validations;
using Market.Protocol.Jobs;

namespace Market.Api.Tests;

public sealed class JobSpecValidatorTests
{
    private static readonly JobSpec Good = new()
    {
        Image = "busybox:1.36",
        Command = ["sh", "-c", "echo $((6*7))"],
        Env = new Dictionary<string, string> { ["ANSWER"] = "42" },
        MilliNcu = 800,
        MaxDurationSec = 120,
        Constraints = new JobConstraints { Regions = ["eu-west"], MinUptimeBps = 9_900, StartLatency = "fast" },
    };

    private static string[] Errors(JobSpec s) =>
        new JobSpecValidator().Validate(s).Errors.Select(e => e.PropertyName).ToArray();

    [Fact]
    public void A_good_spec_passes() => Assert.Empty(Errors(Good));

    [Fact]
    public void Work_instead_of_capacity_passes() =>
        Assert.Empty(Errors(Good with { MilliNcu = null, Work = new JobWork(120_000, 60) }));

    public static TheoryData<string, JobSpec> Bad => new()
    {
        { "Version", Good with { Version = 2 } },
        { "Image", Good with { Image = "" } },
        { "Image", Good with { Image = "../../etc/passwd" } },
        { "Image", Good with { Image = "sha256:abc" } },
        { "Command", Good with { Command = [] } },
        { "Command", Good with { Command = Enumerable.Repeat("x", 65).ToArray() } },
        { "Command[0]", Good with { Command = ["a\0b"] } },
        { "Env[0]", Good with { Env = new Dictionary<string, string> { ["1BAD"] = "x" } } },
        { "ComputeType", Good with { ComputeType = 3 } },
        { "milliNcu", Good with { MilliNcu = null } },
        { "milliNcu", Good with { Work = new JobWork(1, 1) } },
        { "milliNcu", Good with { MilliNcu = 0 } },
        { "milliNcu", Good with { MilliNcu = -5 } },
        { "Work.Gflop", Good with { MilliNcu = null, Work = new JobWork(0, 10) } },
        { "Work.DeadlineSec", Good with { MilliNcu = null, Work = new JobWork(10, 0) } },
        { "Resources.MemoryMb", Good with { Resources = new JobResources { MemoryMb = 1 } } },
        { "Resources.Pids", Good with { Resources = new JobResources { Pids = 1_000_000 } } },
        { "MaxDurationSec", Good with { MaxDurationSec = 0 } },
        { "MaxDurationSec", Good with { MaxDurationSec = int.MaxValue } },
        { "Constraints.Regions", Good with { Constraints = new JobConstraints { Regions = ["EU WEST"] } } },
        { "Constraints.MinUptimeBps", Good with { Constraints = new JobConstraints { MinUptimeBps = 10_001 } } },
        { "Constraints.StartLatency", Good with { Constraints = new JobConstraints { StartLatency = "now" } } },
    };

    [Theory]
    [MemberData(nameof(Bad))]
    public void Each_bad_field_is_named(string field, JobSpec spec) => Assert.Contains(field, Errors(spec));
}

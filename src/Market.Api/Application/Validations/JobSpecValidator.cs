using System.Text.RegularExpressions;
using FluentValidation;
using Market.Protocol.Jobs;

namespace Market.Api.Application.Validations;

/// <summary>
/// Shape rules of a job spec. Limits are generous for real jobs and small enough that one spec
/// can never make the market or an agent allocate without bound.
/// </summary>
public sealed partial class JobSpecValidator : AbstractValidator<JobSpec>
{
    public const int MaxCommandItems = 64, MaxArgLength = 4096, MaxEnv = 64, MaxEnvValue = 4096;
    public const int MaxDurationSec = 30 * 24 * 3600;

    public JobSpecValidator()
    {
        RuleFor(s => s.Version).Equal(1).WithMessage("spec version must be 1");
        RuleFor(s => s.Image).NotEmpty().MaximumLength(200).Matches(ImageRef())
            .WithMessage("image must be 'name[:tag]' or 'sha256:<64 hex>'")
            .Must(i => !i.StartsWith("sha256:", StringComparison.Ordinal) || Digest().IsMatch(i))
            .WithMessage("an image digest must be 'sha256:<64 lower-case hex>'");
        RuleFor(s => s.Command).NotEmpty().Must(c => c.Count <= MaxCommandItems)
            .WithMessage($"command must have 1 to {MaxCommandItems} items");
        RuleForEach(s => s.Command).NotNull().MaximumLength(MaxArgLength).Must(NoNul).WithMessage("command items may not contain NUL");
        RuleFor(s => s.Env).Must(e => e.Count <= MaxEnv).WithMessage($"at most {MaxEnv} environment variables");
        RuleForEach(s => s.Env).Must(kv => EnvName().IsMatch(kv.Key)).WithMessage("environment names must match [A-Za-z_][A-Za-z0-9_]{0,127}")
            .Must(kv => kv.Value is not null && kv.Value.Length <= MaxEnvValue && NoNul(kv.Value)).WithMessage($"environment values must be at most {MaxEnvValue} characters without NUL");
        RuleFor(s => s.ComputeType).InclusiveBetween(0, 2).WithMessage("computeType must be 0 (Logical), 1 (Parallel) or 2 (Neural)");
        RuleFor(s => s).Must(s => s.MilliNcu.HasValue ^ s.Work is not null)
            .OverridePropertyName("milliNcu").WithMessage("give exactly one of milliNcu or work");
        RuleFor(s => s.MilliNcu!.Value).InclusiveBetween(1, long.MaxValue / 4).When(s => s.MilliNcu.HasValue)
            .OverridePropertyName("milliNcu").WithMessage("milliNcu must be positive");
        RuleFor(s => s.Work!).ChildRules(w =>
        {
            w.RuleFor(x => x.Gflop).InclusiveBetween(1, 1_000_000_000_000_000).WithMessage("work.gflop must be between 1 and 10^18");
            w.RuleFor(x => x.DeadlineSec).InclusiveBetween(1, MaxDurationSec).WithMessage($"work.deadlineSec must be between 1 and {MaxDurationSec}");
        }).When(s => s.Work is not null);
        RuleFor(s => s.Resources).NotNull().ChildRules(r =>
        {
            r.RuleFor(x => x.MemoryMb).InclusiveBetween(16, 1_048_576);
            r.RuleFor(x => x.Pids).InclusiveBetween(4, 32_768);
            r.RuleFor(x => x.TmpMb).InclusiveBetween(1, 65_536);
        });
        RuleFor(s => s.MaxDurationSec).InclusiveBetween(1, MaxDurationSec);
        RuleFor(s => s.Constraints!).ChildRules(c =>
        {
            c.RuleFor(x => x.Regions).Must(r => r is null || (r.Count <= 16 && r.All(x => Region().IsMatch(x))))
                .WithMessage("regions: at most 16, each [a-z0-9-]{1,32}");
            c.RuleFor(x => x.MinMemoryMb).InclusiveBetween(0, 1_048_576).When(x => x.MinMemoryMb.HasValue);
            c.RuleFor(x => x.GpuModel).MaximumLength(64).When(x => x.GpuModel is not null);
            c.RuleFor(x => x.MinUptimeBps).InclusiveBetween(0, 10_000).When(x => x.MinUptimeBps.HasValue);
            c.RuleFor(x => x.StartLatency).Must(x => x is null or "any" or "standard" or "fast")
                .WithMessage("startLatency must be any, standard or fast");
        }).When(s => s.Constraints is not null);
    }

    private static bool NoNul(string s) => !s.Contains('\0');

    [GeneratedRegex(@"^([a-z0-9][a-z0-9._/-]{0,127}(:[A-Za-z0-9._-]{1,64})?|sha256:[0-9a-f]{64})$")]
    private static partial Regex ImageRef();

    [GeneratedRegex(@"^sha256:[0-9a-f]{64}$")]
    private static partial Regex Digest();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]{0,127}$")]
    private static partial Regex EnvName();

    [GeneratedRegex(@"^[a-z0-9-]{1,32}$")]
    private static partial Regex Region();
}

using System.Text.Json;
using FluentValidation;
using MediatR;

namespace Market.Api.Application.Jobs;

/// <summary>
/// A consumer submits a job: the spec, the EIP-712 bid that commits to it, and the signature.
/// <paramref name="RequestId"/> makes retries safe: the same id with the same bid answers the
/// job already created.
/// </summary>
public sealed record SubmitJob(string Caller, string? RequestId, JsonElement Spec, BidDto Bid, string Signature) : IRequest<JobAccepted>;

public sealed record JobAccepted(long JobId, string Status, bool Duplicate);

public sealed class SubmitJobValidator : AbstractValidator<SubmitJob>
{
    public SubmitJobValidator()
    {
        RuleFor(c => c.RequestId).MaximumLength(128).Matches("^[A-Za-z0-9._:-]+$").When(c => c.RequestId is not null)
            .WithMessage("requestId: at most 128 of [A-Za-z0-9._:-]");
        RuleFor(c => c.Spec.ValueKind).Equal(JsonValueKind.Object).OverridePropertyName("spec").WithMessage("spec must be a JSON object");
        RuleFor(c => c.Signature).NotEmpty().Matches("^0x[0-9a-fA-F]{130}$").WithMessage("signature must be 65 bytes of 0x-hex");
        RuleFor(c => c.Bid).NotNull().ChildRules(b =>
        {
            b.RuleFor(x => x.Consumer).Must(a => Market.Chain.Address.TryParse(a, out _)).WithMessage("consumer must be an address");
            b.RuleFor(x => x.JobSpecHash).Must(BidDto.IsBytes32).WithMessage("jobSpecHash must be 32 bytes of 0x-hex");
            b.RuleFor(x => x.ConstraintsHash).Must(BidDto.IsBytes32).WithMessage("constraintsHash must be 32 bytes of 0x-hex");
            b.RuleFor(x => x.ComputeType).InclusiveBetween(0, 2);
            b.RuleFor(x => x.Grade).InclusiveBetween(1, 4);
            b.RuleFor(x => x.MilliNcu).InclusiveBetween(1, long.MaxValue / 4);
            b.RuleFor(x => x.MaxPricePerNcuHour).Must(p => BidDto.IsUInt(p, BidDto.MaxPrice) && p != "0")
                .WithMessage("maxPricePerNcuHour must be a positive decimal integer at most 2^63 - 1");
            b.RuleFor(x => x.MaxDurationSec).InclusiveBetween(1, uint.MaxValue);
            b.RuleFor(x => x.MinUptimeBps).InclusiveBetween(0, 10_000);
            b.RuleFor(x => x.Nonce).Must(n => BidDto.IsUInt(n, System.Numerics.BigInteger.Pow(2, 256) - 1))
                .WithMessage("nonce must be a decimal uint256");
            b.RuleFor(x => x.Deadline).InclusiveBetween(1, long.MaxValue);
        });
    }
}

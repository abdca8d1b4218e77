using FluentValidation;
using MediatR;

namespace Market.Api.Application.Behaviors;

/// <summary>Runs every validator of the request; failures stop the pipeline as a 400 naming the fields.</summary>
public sealed class ValidationBehavior<TRequest, TResponse>(IEnumerable<IValidator<TRequest>> validators)
    : IPipelineBehavior<TRequest, TResponse>
{
    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        List<FluentValidation.Results.ValidationFailure>? failures = null;
        foreach (var v in validators)
        {
            var r = await v.ValidateAsync(request, cancellationToken);
            if (!r.IsValid) (failures ??= []).AddRange(r.Errors);
        }
        if (failures is not null) throw new ValidationException(failures);
        return await next();
    }
}

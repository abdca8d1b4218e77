using System.Reflection;
using FluentValidation;
using Market.Api.Application.Behaviors;
using MediatR;

namespace Market.Api.Extensions;

/// <summary>
/// MediatR 5.1.0 is the only version on the registry these machines reach, and its DI package
/// is missing, so it is wired by hand: a <see cref="ServiceFactory"/> over the container, the
/// handlers and validators found by a small assembly scan, and the pipeline in a fixed order
/// (logging → validation → handler).
/// </summary>
public static class MediatorExtensions
{
    public static IServiceCollection AddMediatorFrom(this IServiceCollection services, Assembly assembly)
    {
        services.AddScoped<ServiceFactory>(p => p.GetService!);
        services.AddScoped<IMediator, Mediator>();
        services.AddScoped(typeof(IPipelineBehavior<,>), typeof(LoggingBehavior<,>));
        services.AddScoped(typeof(IPipelineBehavior<,>), typeof(ValidationBehavior<,>));

        foreach (var type in assembly.GetTypes())
        {
            if (type.IsAbstract || type.IsInterface || type.IsGenericTypeDefinition) continue;
            foreach (var itf in type.GetInterfaces())
            {
                if (!itf.IsGenericType) continue;
                var def = itf.GetGenericTypeDefinition();
                if (def == typeof(IRequestHandler<,>)) services.AddScoped(itf, type);
                // Validators are stateless and costly to build (rule trees): one instance each.
                else if (def == typeof(IValidator<>)) services.AddSingleton(itf, type);
            }
        }
        return services;
    }
}

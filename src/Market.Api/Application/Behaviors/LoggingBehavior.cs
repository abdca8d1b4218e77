using System.Diagnostics;
using MediatR;

namespace Market.Api.Application.Behaviors;

/// <summary>Logs each command's name and duration; never its contents (they may carry signatures).</summary>
public sealed class LoggingBehavior<TRequest, TResponse>(ILogger<LoggingBehavior<TRequest, TResponse>> log)
    : IPipelineBehavior<TRequest, TResponse>
{
    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            return await next();
        }
        finally
        {
            if (log.IsEnabled(LogLevel.Debug))
                log.LogDebug("{Request} handled in {Ms:0.0} ms", typeof(TRequest).Name, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }
}

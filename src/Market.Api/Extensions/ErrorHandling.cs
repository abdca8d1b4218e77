using System.Text.Json;
using FluentValidation;
using Market.Api.Application;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Market.Api.Extensions;

/// <summary>
/// Every error leaves as an RFC 9457 problem detail. Client mistakes (bad JSON, wrong types,
/// oversize bodies, failed validation, domain refusals) are 4xx naming the problem; anything
/// unexpected is a bare 500 with a trace id and no internals.
/// </summary>
public static class ErrorHandling
{
    public const string TypeBase = "https://compute.market/problems/";

    public static void UseMarketErrorHandling(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = StatusFor,
            ExceptionHandler = WriteProblemAsync,
        });
        app.UseStatusCodePages();
        // Kestrel enforces Market:MaxBodyBytes on the socket; this also covers other servers (the
        // test host) and refuses a declared oversize body before anything reads it.
        var limit = app.Services.GetRequiredService<Extensions.BodyLimit>().Bytes;
        app.Use((ctx, next) =>
        {
            if (ctx.Request.ContentLength > limit)
                throw new BadHttpRequestException("the request body is larger than the limit", StatusCodes.Status413PayloadTooLarge);
            return next(ctx);
        });
    }

    internal static string DefaultCode(int status) => status switch
    {
        400 => "bad-request",
        401 => "unauthenticated",
        403 => "forbidden",
        404 => "not-found",
        405 => "method-not-allowed",
        413 => "body-too-large",
        415 => "unsupported-media-type",
        429 => "rate-limited",
        _ => status >= 500 ? "internal" : "error",
    };

    internal static string DefaultDetail(int status, HttpContext ctx) => status switch
    {
        404 => $"nothing is at {ctx.Request.Method} {ctx.Request.Path}",
        405 => $"{ctx.Request.Method} is not allowed on {ctx.Request.Path}",
        415 => "send the body as application/json",
        _ => DefaultCode(status).Replace('-', ' '),
    };

    internal static int StatusFor(Exception e) => e switch
    {
        MarketException m => m.Status,
        ValidationException => StatusCodes.Status400BadRequest,
        BadHttpRequestException b => b.StatusCode,
        JsonException => StatusCodes.Status400BadRequest,
        Market.Chain.RpcTransportException => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };

    private static async Task WriteProblemAsync(HttpContext ctx)
    {
        var e = ctx.Features.Get<IExceptionHandlerFeature>()?.Error;
        var status = e is null ? 500 : StatusFor(e);
        var problem = e switch
        {
            MarketException m => Problem(status, m.Code, m.Message),
            ValidationException v => Validation(v),
            BadHttpRequestException b when b.StatusCode == StatusCodes.Status413PayloadTooLarge =>
                Problem(status, "body-too-large", "the request body is larger than the limit"),
            BadHttpRequestException b when b.StatusCode == StatusCodes.Status415UnsupportedMediaType =>
                Problem(status, "unsupported-media-type", "send the body as application/json"),
            BadHttpRequestException b => Problem(status, b.InnerException is JsonException ? "malformed-json" : "bad-request", Describe(b)),
            JsonException j => Problem(status, "malformed-json", j.Message),
            // A transient outage of the node, not a fault of ours or the client's: retry later (agents do).
            Market.Chain.RpcTransportException => Problem(status, "chain-unavailable", "the blockchain node is unreachable; try again shortly"),
            _ => Problem(500, "internal", "an internal error occurred; it has been logged"),
        };
        if (status >= 500 && e is not null)
            ctx.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Market.Api.Errors")
                .LogError(e, "unhandled error on {Method} {Path}", ctx.Request.Method, ctx.Request.Path);
        problem.Extensions["traceId"] = ctx.TraceIdentifier;
        ctx.Response.StatusCode = status;
        // The runtime type, so a ValidationProblemDetails keeps its "errors" member.
        await ctx.Response.WriteAsJsonAsync(problem, problem.GetType(), (JsonSerializerOptions?)null, "application/problem+json");
    }

    // Minimal APIs wrap JSON errors in a BadHttpRequestException; its inner JsonException says
    // where the body is wrong ("$.resources.memoryMb"), which is what the client needs.
    private static string Describe(BadHttpRequestException b) =>
        b.InnerException is JsonException j ? $"malformed JSON: {j.Message}" : b.Message;

    public static ProblemDetails Problem(int status, string code, string detail) => new()
    {
        Status = status,
        Type = TypeBase + code,
        Title = code.Replace('-', ' '),
        Detail = detail,
    };

    private static ProblemDetails Validation(ValidationException v)
    {
        var errors = v.Errors
            .GroupBy(f => JsonPath(f.PropertyName))
            .ToDictionary(g => g.Key, g => g.Select(f => f.ErrorMessage).ToArray());
        var p = new ValidationProblemDetails(errors)
        {
            Status = 400,
            Type = TypeBase + "validation",
            Title = "validation",
            Detail = string.Join("; ", errors.Select(kv => $"{kv.Key}: {string.Join(", ", kv.Value)}")),
        };
        return p;
    }

    /// <summary>"spec.Resources.MemoryMib" → "spec.resources.memoryMib": the names the client sent.</summary>
    private static string JsonPath(string propertyName) =>
        string.Join('.', propertyName.Split('.').Select(JsonNamingPolicy.CamelCase.ConvertName));
}

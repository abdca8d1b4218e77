using System.Security.Claims;
using System.Text.Json;
using Market.Api.Application.Auth;
using Market.Api.Application.Jobs;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Market.Api.Apis;

/// <summary>Consumers' jobs. Every route needs a signed-in wallet and shows only that wallet's jobs.</summary>
public static class JobsApi
{
    public sealed record SubmitRequest(string? RequestId, JsonElement Spec, BidDto Bid, string Signature);

    public static void MapJobsApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/v1/jobs").WithTags("Jobs").RequireAuthorization();
        g.MapPost("/", SubmitAsync);
        g.MapGet("/", ListAsync);
        g.MapGet("/{id:long}", GetAsync);
        g.MapDelete("/{id:long}", CancelAsync);
        g.MapGet("/{id:long}/logs", LogsAsync).WithRequestTimeout(Extensions.Extensions.LongPollPolicy);
        g.MapGet("/{id:long}/result", ResultAsync);
    }

    private static async Task<Accepted<JobAccepted>> SubmitAsync(SubmitRequest body, ClaimsPrincipal user, IMediator mediator, CancellationToken ct)
    {
        if (body.Bid is null) throw Application.MarketException.Invalid("validation", "bid is required");
        var r = await mediator.Send(new SubmitJob(user.Address(), body.RequestId, body.Spec, body.Bid, body.Signature ?? ""), ct);
        return TypedResults.Accepted($"/v1/jobs/{r.JobId}", r);
    }

    private static async Task<Ok<IReadOnlyList<JobQueries.JobSummary>>> ListAsync(ClaimsPrincipal user, JobQueries q, long? before, int? limit, CancellationToken ct) =>
        TypedResults.Ok(await q.ListAsync(user.Address(), before, Math.Clamp(limit ?? 50, 1, 500), ct));

    private static async Task<Ok<JobQueries.JobView>> GetAsync(long id, ClaimsPrincipal user, JobQueries q, CancellationToken ct) =>
        TypedResults.Ok(await q.GetAsync(id, user.Address(), ct));

    private static async Task<Accepted<object>> CancelAsync(long id, ClaimsPrincipal user, IMediator mediator, CancellationToken ct) =>
        TypedResults.Accepted($"/v1/jobs/{id}", (object)new { jobId = id, status = await mediator.Send(new CancelJob(id, user.Address()), ct) });

    /// <summary>Log lines after <paramref name="after"/>; with follow=true waits (up to 30 s) for new lines or the job's end.</summary>
    private static async Task<Ok<IReadOnlyList<JobQueries.LogLine>>> LogsAsync(long id, ClaimsPrincipal user, JobQueries q, long? after, bool? follow, CancellationToken ct)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var lines = await q.LogsAsync(id, user.Address(), after ?? 0, ct);
            if (lines.Count > 0 || follow != true || DateTime.UtcNow > until || IsFinal(await q.StatusAsync(id, ct)))
                return TypedResults.Ok(lines);
            await Task.Delay(250, ct);
        }
    }

    private static async Task<Results<FileContentHttpResult, NotFound<Microsoft.AspNetCore.Mvc.ProblemDetails>>> ResultAsync(
        long id, ClaimsPrincipal user, JobQueries q, CancellationToken ct)
    {
        var r = await q.ResultAsync(id, user.Address(), ct);
        return r is { } x
            ? TypedResults.File(x.Data, x.ContentType)
            : TypedResults.NotFound(Extensions.ErrorHandling.Problem(404, "no-result", $"job {id} has no result yet"));
    }

    public static bool IsFinal(string status) =>
        status is "exited" or "failed" or "settled" or "reclaimed" or "expired" or "cancelled" or "rejected" or "refused" or "";
}

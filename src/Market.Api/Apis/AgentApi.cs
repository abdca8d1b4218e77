using System.Security.Claims;
using Market.Api.Application;
using Market.Api.Application.Auth;
using Market.Api.Application.Leases;
using Market.Protocol.Agents;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Market.Api.Apis;

/// <summary>
/// Provider agents, signed in with the provider's key: long-poll for leases, heartbeats, status,
/// logs and results — each limited to the calling provider's own leases.
/// </summary>
public static class AgentApi
{
    public sealed record HeartbeatReply(IReadOnlyList<long> Cancel, long ServerTime);

    public static void MapAgentApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/v1/agent").WithTags("Agent").RequireAuthorization();
        g.MapGet("/leases", LeasesAsync).WithRequestTimeout(Extensions.Extensions.LongPollPolicy);
        g.MapPost("/heartbeat", HeartbeatAsync);
        g.MapPost("/leases/{id:long}/status", StatusAsync);
        g.MapPost("/leases/{id:long}/logs", LogAsync);
        g.MapPut("/leases/{id:long}/result", ResultAsync);
        g.MapPost("/leases/{id:long}/usage", UsageAsync);
    }

    private static async Task<Ok<IReadOnlyList<LeaseAssignment>>> LeasesAsync(ClaimsPrincipal user, LeaseDispatcher d, int? wait, CancellationToken ct) =>
        TypedResults.Ok(await d.WaitForLeasesAsync(user.Address(), TimeSpan.FromSeconds(Math.Clamp(wait ?? 25, 0, 60)), ct));

    private static async Task<Ok<HeartbeatReply>> HeartbeatAsync(Heartbeat body, ClaimsPrincipal user, AgentReports r, TimeProvider clock, CancellationToken ct)
    {
        if (body.AgentVersion is null || body.AgentVersion.Length > 64 || body.RunningLeases is null || body.RunningLeases.Count > 10_000 || body.FreeMilliNcu < 0)
            throw MarketException.Invalid("bad-heartbeat", "agentVersion (≤ 64 chars), freeMilliNcu ≥ 0 and runningLeases are required");
        await r.HeartbeatAsync(user.Address(), body, ct);
        return TypedResults.Ok(new HeartbeatReply(await r.CancelRequestsAsync(user.Address(), ct), clock.GetUtcNow().ToUnixTimeSeconds()));
    }

    private static async Task<NoContent> StatusAsync(long id, LeaseStatusReport body, ClaimsPrincipal user, AgentReports r, CancellationToken ct)
    {
        if (body.LeaseId != id) throw MarketException.Invalid("lease-mismatch", "leaseId in the body must match the URL");
        if (!Enum.IsDefined(body.Status)) throw MarketException.Invalid("bad-status", "unknown lease status");
        await r.StatusAsync(user.Address(), id, body, ct);
        return TypedResults.NoContent();
    }

    private static async Task<NoContent> LogAsync(long id, LogChunk body, ClaimsPrincipal user, AgentReports r, CancellationToken ct)
    {
        if (body.LeaseId != id) throw MarketException.Invalid("lease-mismatch", "leaseId in the body must match the URL");
        if (body.Data is null || body.Stream is null) throw MarketException.Invalid("bad-log", "stream and data are required");
        await r.LogAsync(user.Address(), id, body, ct);
        return TypedResults.NoContent();
    }

    private static async Task<NoContent> UsageAsync(long id, UsageReport body, ClaimsPrincipal user, AgentReports r, CancellationToken ct)
    {
        if (body.LeaseId != id) throw MarketException.Invalid("lease-mismatch", "leaseId in the body must match the URL");
        if (body.Signature is null) throw MarketException.Invalid("bad-signature", "signature is required");
        await r.UsageAsync(user.Address(), id, body, ct);
        return TypedResults.NoContent();
    }

    private static async Task<NoContent> ResultAsync(long id, HttpRequest request, ClaimsPrincipal user, AgentReports r, CancellationToken ct)
    {
        if (request.ContentLength is > AgentReports.MaxResultBytes)
            throw new MarketException(413, "result-too-large", $"a result is at most {AgentReports.MaxResultBytes} bytes");
        using var ms = new MemoryStream();
        var buffer = new byte[81920];
        int n;
        while ((n = await request.Body.ReadAsync(buffer, ct)) > 0)
        {
            if (ms.Length + n > AgentReports.MaxResultBytes)
                throw new MarketException(413, "result-too-large", $"a result is at most {AgentReports.MaxResultBytes} bytes");
            ms.Write(buffer, 0, n);
        }
        var type = request.ContentType is { Length: > 0 and <= 100 } t ? t : "application/octet-stream";
        await r.ResultAsync(user.Address(), id, type, ms.ToArray(), ct);
        return TypedResults.NoContent();
    }
}

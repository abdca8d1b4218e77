using Market.Api.Application.Commands;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Market.Api.Apis;

/// <summary>Wallet sign-in in the spirit of EIP-4361: challenge, sign, exchange for a bearer token.</summary>
public static class AuthApi
{
    public sealed record ChallengeRequest(string Address);
    public sealed record TokenRequest(string Message, string Signature);

    public static void MapAuthApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/v1/auth").WithTags("Auth");
        g.MapPost("/challenge", ChallengeAsync);
        g.MapPost("/token", TokenAsync);
        g.MapGet("/me", (System.Security.Claims.ClaimsPrincipal user) =>
            TypedResults.Ok(new { address = Application.Auth.ClaimsPrincipalExtensions.Address(user) })).RequireAuthorization();
    }

    private static async Task<Ok<ChallengeIssued>> ChallengeAsync(ChallengeRequest body, HttpContext http, IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(await mediator.Send(new IssueChallenge(body.Address ?? "", http.Request.Host.Host,
            $"{http.Request.Scheme}://{http.Request.Host}/v1/auth"), ct));

    private static async Task<Ok<TokenIssued>> TokenAsync(TokenRequest body, IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(await mediator.Send(new ExchangeToken(body.Message ?? "", body.Signature ?? ""), ct));
}

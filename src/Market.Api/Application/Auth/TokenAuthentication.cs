using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Dapper;
using Market.Api.Infrastructure.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Market.Api.Application.Auth;

/// <summary>
/// "Authorization: Bearer &lt;token&gt;" where the token was issued by the wallet sign-in. Tokens are
/// 256-bit random strings; the database keeps only their SHA-256, and the principal's name is
/// the wallet address (lower-case hex), which is all any endpoint needs to know.
/// </summary>
public sealed class TokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    Database db, KnownSessions known, TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "WalletToken";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.NoResult();
        var token = header["Bearer ".Length..].Trim();
        if (token.Length is < 16 or > 128) return AuthenticateResult.Fail("malformed token");

        var h = Hash(token);
        // Sessions are never revoked, only expire, so a known one can be answered from memory.
        if (!known.TryGet(h, out var row))
        {
            await using var c = await db.OpenAsync(Context.RequestAborted);
            row = await c.QuerySingleOrDefaultAsync<(string Address, long ExpiresAt)>(
                "SELECT address, expires_at FROM auth_sessions WHERE token_hash = @h", new { h });
            if (row.Address is null) return AuthenticateResult.Fail("unknown token");
            known.Add(h, row);
        }
        if (row.ExpiresAt <= clock.GetUtcNow().ToUnixTimeMilliseconds())
        {
            known.Remove(h);
            return AuthenticateResult.Fail("expired token");
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, row.Address)], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        await Response.WriteAsJsonAsync(
            Extensions.ErrorHandling.Problem(401, "unauthenticated", "sign in with your wallet and send 'Authorization: Bearer <token>'"),
            (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json");
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await Response.WriteAsJsonAsync(
            Extensions.ErrorHandling.Problem(403, "forbidden", "this wallet may not do that"),
            (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json");
    }

    public static string NewToken() => Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Base64Url(byte[] b) => Convert.ToBase64String(b).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>
/// Sessions already read from the database, by token hash, so a bearer token costs one query per
/// process rather than one per request. Safe because sessions are never revoked, only expire (the
/// expiry is still checked on every request). Bounded: cleared when full.
/// </summary>
public sealed class KnownSessions
{
    private const int Max = 100_000;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (string Address, long ExpiresAt)> _byHash = new();

    public bool TryGet(string tokenHash, out (string Address, long ExpiresAt) session) => _byHash.TryGetValue(tokenHash, out session);

    public void Add(string tokenHash, (string Address, long ExpiresAt) session)
    {
        if (_byHash.Count >= Max) _byHash.Clear();
        _byHash[tokenHash] = session;
    }

    public void Remove(string tokenHash) => _byHash.TryRemove(tokenHash, out _);
}

public static class ClaimsPrincipalExtensions
{
    /// <summary>The signed-in wallet's address, lower-case 0x-hex.</summary>
    public static string Address(this ClaimsPrincipal user) =>
        user.Identity?.Name ?? throw new InvalidOperationException("endpoint requires an authenticated wallet");
}

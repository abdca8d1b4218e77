using System.Security.Cryptography;
using Dapper;
using FluentValidation;
using Market.Api.Application.Auth;
using Market.Api.Infrastructure.Data;
using Market.Chain;
using MediatR;
using Microsoft.Extensions.Options;

namespace Market.Api.Application.Commands;

/// <summary>Step 1 of wallet sign-in: the server writes the EIP-4361 message the wallet must sign.</summary>
public sealed record IssueChallenge(string Address, string Domain, string Uri) : IRequest<ChallengeIssued>;

public sealed record ChallengeIssued(string Message, string Nonce, DateTimeOffset ExpiresAt);

public sealed class IssueChallengeValidator : AbstractValidator<IssueChallenge>
{
    public IssueChallengeValidator() =>
        RuleFor(c => c.Address).Must(a => Chain.Address.TryParse(a, out _))
            .WithMessage("address must be 0x and 40 hex digits (mixed case only with a valid EIP-55 checksum)");
}

public sealed class IssueChallengeHandler(Database db, IOptions<AuthOptions> options, TimeProvider clock)
    : IRequestHandler<IssueChallenge, ChallengeIssued>
{
    public async Task<ChallengeIssued> Handle(IssueChallenge c, CancellationToken ct)
    {
        var o = options.Value;
        var address = Address.Parse(c.Address);
        var now = clock.GetUtcNow();
        // Whole seconds: the message format carries no fractions, and the stored text must match.
        now = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerSecond));
        var nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var msg = new SiweMessage(o.Domain ?? c.Domain, address.ToString(), "Sign in to Compute Market.",
            c.Uri, o.ChainId, nonce, now, now.AddSeconds(o.ChallengeSeconds));
        var text = msg.Format();
        await using var conn = await db.OpenAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition("""
            INSERT INTO auth_challenges (nonce, address, message, issued_at, expires_at)
            VALUES (@nonce, @address, @text, @issued, @expires)
            """, new
        {
            nonce, address = address.ToLowerHex(), text,
            issued = now.ToUnixTimeMilliseconds(), expires = msg.ExpirationTime.ToUnixTimeMilliseconds(),
        }, cancellationToken: ct));
        return new ChallengeIssued(text, nonce, msg.ExpirationTime);
    }
}

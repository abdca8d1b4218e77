using Dapper;
using FluentValidation;
using Market.Api.Application.Auth;
using Market.Api.Infrastructure.Data;
using Market.Chain;
using Market.Chain.Signing;
using MediatR;
using Microsoft.Extensions.Options;

namespace Market.Api.Application.Commands;

/// <summary>Step 2 of wallet sign-in: the signed message comes back and is exchanged for a bearer token.</summary>
public sealed record ExchangeToken(string Message, string Signature) : IRequest<TokenIssued>;

public sealed record TokenIssued(string Token, string Address, DateTimeOffset ExpiresAt);

public sealed class ExchangeTokenValidator : AbstractValidator<ExchangeToken>
{
    public ExchangeTokenValidator()
    {
        RuleFor(c => c.Message).NotEmpty().MaximumLength(4096);
        RuleFor(c => c.Signature).NotEmpty().Matches("^0x[0-9a-fA-F]{130}$").WithMessage("signature must be 65 bytes of 0x-hex");
    }
}

public sealed class ExchangeTokenHandler(Database db, IOptions<AuthOptions> options, TimeProvider clock)
    : IRequestHandler<ExchangeToken, TokenIssued>
{
    public async Task<TokenIssued> Handle(ExchangeToken c, CancellationToken ct)
    {
        SiweMessage msg;
        try { msg = SiweMessage.Parse(c.Message); }
        catch (FormatException e) { throw MarketException.Invalid("bad-sign-in-message", e.Message); }

        Address signer;
        try { signer = PersonalMessage.Recover(c.Message, c.Signature); }
        catch (ChainException) { throw Refused("the signature is not a valid secp256k1 signature"); }
        if (!Address.TryParse(msg.Address, out var claimed) || claimed != signer)
            throw Refused("the message was not signed by the address it names");

        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await using var conn = await db.OpenAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var issued = await conn.QuerySingleOrDefaultAsync<(string Message, long ExpiresAt, long? UsedAt)>(new CommandDefinition(
            "SELECT message, expires_at, used_at FROM auth_challenges WHERE nonce = @n", new { n = msg.Nonce }, tx, cancellationToken: ct));
        // Comparing the whole text covers domain, URI, chain id, address and times in one go:
        // only a message this server wrote, unchanged, is accepted.
        if (issued.Message is null || issued.Message != c.Message) throw Refused("this sign-in message was not issued by this server");
        if (issued.UsedAt is not null) throw Refused("this sign-in message was already used");
        if (issued.ExpiresAt <= now) throw Refused("this sign-in message has expired; ask for a new challenge");
        if (options.Value.Domain is { } d && msg.Domain != d) throw Refused("this sign-in message is for another domain");

        // The conditional update is the replay guard under concurrency: only one exchange wins.
        var won = await conn.ExecuteAsync(new CommandDefinition(
            "UPDATE auth_challenges SET used_at = @now WHERE nonce = @n AND used_at IS NULL", new { now, n = msg.Nonce }, tx, cancellationToken: ct));
        if (won != 1) throw Refused("this sign-in message was already used");

        var token = TokenAuthenticationHandler.NewToken();
        var expires = clock.GetUtcNow().AddSeconds(options.Value.TokenSeconds);
        await conn.ExecuteAsync(new CommandDefinition(
            "INSERT INTO auth_sessions (token_hash, address, expires_at) VALUES (@h, @a, @e)",
            new { h = TokenAuthenticationHandler.Hash(token), a = signer.ToLowerHex(), e = expires.ToUnixTimeMilliseconds() }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return new TokenIssued(token, signer.ToString(), expires);
    }

    private static MarketException Refused(string detail) => new(StatusCodes.Status401Unauthorized, "sign-in-refused", detail);
}

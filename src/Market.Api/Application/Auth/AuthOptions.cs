namespace Market.Api.Application.Auth;

/// <summary>Sign-in settings (section "Market:Auth").</summary>
public sealed class AuthOptions
{
    /// <summary>The domain named in sign-in messages; defaults to the request's host.</summary>
    public string? Domain { get; set; }
    public long ChainId { get; set; } = 31337;
    public int ChallengeSeconds { get; set; } = 300;
    public int TokenSeconds { get; set; } = 3600;
}

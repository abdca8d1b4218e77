using System.Net;
using ProviderAgent.MarketApi;

namespace ProviderAgent.Tests.MarketApi;

/// <summary>Which refusals the report outbox skips for good and which it sends again.</summary>
public sealed class MarketApiExceptionTests
{
    private static MarketApiException Refusal(HttpStatusCode status, string code) =>
        new(status, $"{(int)status} {status}: {{\"type\":\"https://compute.market/problems/{code}\",\"title\":\"x\",\"status\":{(int)status}}}");

    [Theory]
    [InlineData(HttpStatusCode.BadRequest, "usage-overrate")]
    [InlineData(HttpStatusCode.Conflict, "usage-outoforder")]
    [InlineData(HttpStatusCode.NotFound, "not-found")]
    public void A_refusal_of_the_report_itself_is_permanent(HttpStatusCode status, string code) => Assert.True(Refusal(status, code).IsPermanent);

    [Fact]
    public void A_usage_interval_the_market_thinks_is_in_its_future_is_sent_again() =>
        Assert.False(Refusal(HttpStatusCode.BadRequest, "usage-infuture").IsPermanent);

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized)]
    [InlineData(HttpStatusCode.TooManyRequests)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    public void Transient_answers_are_not_permanent(HttpStatusCode status) => Assert.False(Refusal(status, "x").IsPermanent);
}

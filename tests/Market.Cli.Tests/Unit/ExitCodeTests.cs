using System.Net;
using System.Text;
using Market.Chain;
using Market.Cli.Api;
using Market.Cli.Cli;

namespace Market.Cli.Tests.Unit;

public sealed class ExitCodeTests
{
    private static async Task<ProblemException> Problem(HttpStatusCode status, string body, string type = "application/problem+json")
    {
        using var r = new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, type) };
        return await MarketApiClient.ProblemAsync(r, CancellationToken.None);
    }

    [Fact]
    public async Task A_4xx_problem_is_refused_with_its_code_and_detail()
    {
        var p = await Problem(HttpStatusCode.PaymentRequired,
            """{"type":"https://compute.market/problems/insufficient-escrow","title":"x","status":402,"detail":"only 5 are free"}""");
        Assert.Equal(("insufficient-escrow", "only 5 are free", ExitCodes.Refused), (p.Code, p.Detail, p.ExitCode));
        Assert.Equal((3, "insufficient-escrow: only 5 are free"), ErrorReporter.Map(p));
    }

    [Fact]
    public async Task Validation_problems_list_their_fields()
    {
        var p = await Problem(HttpStatusCode.BadRequest,
            """{"type":"https://compute.market/problems/validation","detail":"invalid","errors":{"spec.image":["image must be 'name[:tag]'"]}}""");
        Assert.Equal("validation", p.Code);
        Assert.Contains("spec.image: image must be 'name[:tag]'", p.Detail);
    }

    [Fact]
    public async Task Server_errors_and_non_problem_bodies_are_errors_not_refusals()
    {
        var p = await Problem(HttpStatusCode.InternalServerError, """{"type":"https://compute.market/problems/internal","detail":"logged"}""");
        Assert.Equal(ExitCodes.Error, p.ExitCode);
        var q = await Problem(HttpStatusCode.NotFound, "<html>nope</html>", "text/html");
        Assert.Equal(("not-found", ExitCodes.Refused), (q.Code, q.ExitCode));
    }

    [Fact]
    public void Exceptions_map_to_the_documented_exit_codes()
    {
        Assert.Equal(ExitCodes.Usage, ErrorReporter.Map(CliException.Usage("bad")).Code);
        Assert.Equal(ExitCodes.JobFailed, ErrorReporter.Map(new CliException(ExitCodes.JobFailed, "failed")).Code);
        var revert = new ContractRevertException("LeaseEscrowInsufficientBalance", "LeaseEscrowInsufficientBalance(uint256,uint256)", [1, 2], [1, 2, 3, 4]);
        var (code, message) = ErrorReporter.Map(revert);
        Assert.Equal(ExitCodes.Refused, code);
        Assert.StartsWith("LeaseEscrowInsufficientBalance", message);
        Assert.Equal(ExitCodes.Usage, ErrorReporter.Map(new KeystoreException("wrong passphrase")).Code);
        Assert.Equal(ExitCodes.Error, ErrorReporter.Map(new RpcTransportException("down")).Code);
        Assert.Equal(ExitCodes.Error, ErrorReporter.Map(new HttpRequestException("refused")).Code);
        Assert.Equal(ExitCodes.Error, ErrorReporter.Map(new IOException("disk")).Code);
        Assert.Equal(ExitCodes.Error, ErrorReporter.Map(new InvalidOperationException("bug")).Code);
    }

    [Fact]
    public void Errors_are_one_line_without_a_stack_trace()
    {
        var err = new StringWriter();
        Assert.Equal(ExitCodes.Error, ErrorReporter.Report(new InvalidOperationException("boom"), err));
        Assert.Equal("error: unexpected InvalidOperationException: boom" + Environment.NewLine, err.ToString());
    }
}

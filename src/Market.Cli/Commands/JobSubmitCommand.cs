using System.CommandLine;
using System.Numerics;
using System.Text.Json.Nodes;
using Market.Chain.Bids;
using Market.Cli.Chain;
using Market.Cli.Cli;
using Market.Cli.Jobs;
using Market.Cli.Text;

namespace Market.Cli.Commands;

/// <summary>`market job submit`: build the EIP-712 bid from a spec, sign it with the keystore key, post it; optionally wait for the outcome.</summary>
internal static class JobSubmitCommand
{
    public static Command Create(GlobalOptions o)
    {
        var spec = new Argument<string>("spec") { Description = "Job spec file (.json, .yaml or .yml)" };
        var maxPrice = new Option<string>("--max-price") { Description = "Highest price per NCU-hour, in whole tokens (needs --rpc for the decimals) or base units with --base-units", Required = true };
        var baseUnits = new Option<bool>("--base-units") { Description = "--max-price is in token base units" };
        var deadline = new Option<string>("--deadline") { Description = "Bid deadline: a duration (10m), ISO 8601 time or unix seconds", DefaultValueFactory = _ => "10m" };
        var requestId = new Option<string?>("--request-id") { Description = "Idempotency key: resubmitting with it returns the same job" };
        var wait = new Option<bool>("--wait") { Description = "Follow the job until it ends; exit 0 only if it succeeded" };
        var timeout = new Option<string>("--timeout") { Description = "How long --wait waits", DefaultValueFactory = _ => "5m" };
        var cmd = new Command("submit", "Sign and submit a job") { spec, maxPrice, baseUnits, deadline, requestId, wait, timeout };
        cmd.Action(o, async (r, ctx, ct) =>
        {
            var jobSpec = SpecFile.Read(r.GetValue(spec)!);
            BidBuilder.NeededMilliNcu(jobSpec); // spec errors before anything else is asked (passphrase, network)
            var deadlineAt = (ulong)TimeSpec.Deadline(r.GetValue(deadline)!, DateTimeOffset.UtcNow);
            var waitFor = r.GetValue(wait) ? TimeSpec.Duration(r.GetValue(timeout)!) : (TimeSpan?)null;
            var deployment = ctx.Chain.Deployment;
            var signer = new BidSigner(deployment.ChainId, deployment.AddressOf("LeaseEscrow"));
            var price = await PriceAsync(ctx, r.GetValue(maxPrice)!, r.GetValue(baseUnits), ct);
            var key = ctx.Wallet.Key;
            var jobId = await new JobSubmitter(ctx.Api, ctx.Chain, ctx.Env.Err).SubmitAsync(jobSpec, signer, key, price, deadlineAt, r.GetValue(requestId), ct);
            if (waitFor is null)
            {
                if (ctx.Json) ctx.Out.Json(new JsonObject { ["jobId"] = jobId }); else ctx.Out.Line(jobId.ToString());
                return ExitCodes.Ok;
            }
            if (!ctx.Json) ctx.Out.Line($"job {jobId} submitted");
            var job = await JobFollower.WaitAsync(ctx.Api, jobId, waitFor.Value, s => { if (!ctx.Json) ctx.Out.Line($"job {jobId}: {s}"); }, ct);
            var ok = JobStatuses.Succeeded(job);
            if (ctx.Json)
                ctx.Out.Json(new JsonObject { ["jobId"] = jobId, ["status"] = job["status"]?.DeepClone(), ["exitCode"] = job["lease"]?["exitCode"]?.DeepClone(), ["succeeded"] = ok });
            else if (!ok)
                ctx.Env.Err.WriteLine($"error: job {jobId} ended {job["status"]}" + (job["lease"]?["exitCode"] is { } e ? $" with exit code {e}" : ""));
            return ok ? ExitCodes.Ok : ExitCodes.JobFailed;
        });
        return cmd;
    }

    private static async Task<BigInteger> PriceAsync(CliContext ctx, string text, bool baseUnits, CancellationToken ct)
    {
        if (baseUnits) return TokenAmount.Parse(text, 0, baseUnits: true);
        if (!ctx.Chain.HasRpc) throw CliException.Usage("--max-price in tokens needs --rpc (for the token's decimals); or give --base-units");
        return TokenAmount.Parse(text, await ChainAccess.DecimalsAsync(await ctx.Chain.ContractsAsync(null, ct), ct));
    }
}

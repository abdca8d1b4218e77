using System.Numerics;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Market.Chain.Bids;
using Market.Cli.Api;
using Market.Cli.Chain;
using Market.Cli.Cli;

namespace Market.Cli.Jobs;

/// <summary>
/// Signs and submits one job. When the API answers insufficient-escrow while its indexer is behind
/// this wallet's last deposit (or the RPC node's head), waits for it and tries again, for up to 10 s.
/// </summary>
internal sealed class JobSubmitter(MarketApiClient api, ChainAccess chain, TextWriter? notices = null, TimeSpan? indexerWait = null)
{
    private readonly TimeSpan _indexerWait = indexerWait ?? TimeSpan.FromSeconds(10);

    public async Task<long> SubmitAsync(JsonObject spec, BidSigner signer, Market.Chain.Crypto.EthKey key, BigInteger maxPrice, ulong deadline,
        string? requestId, CancellationToken ct)
    {
        var nonce = new BigInteger(RandomNumberGenerator.GetBytes(16), isUnsigned: true);
        var bid = BidBuilder.Build(spec, key.Address, maxPrice, deadline, nonce);
        var body = new JsonObject
        {
            ["requestId"] = requestId, ["spec"] = spec.DeepClone(), ["bid"] = BidBuilder.ToJson(bid), ["signature"] = signer.Sign(bid, key).ToHex(),
        };
        var until = DateTime.UtcNow + _indexerWait;
        var waited = false;
        while (true)
        {
            try
            {
                var r = await api.PostAsync("v1/jobs", body.DeepClone(), auth: true, ct);
                return r?["jobId"]?.GetValue<long>() ?? throw new CliException(ExitCodes.Error, "the API accepted the job but sent no jobId");
            }
            catch (ProblemException p) when (p.Code == "insufficient-escrow" && DateTime.UtcNow < until)
            {
                if (!await IndexerBehindAsync(key.Address, ct)) throw;
                if (!waited) notices?.WriteLine("the market has not indexed the latest deposit yet; waiting (up to 10 s)…");
                waited = true;
                await Task.Delay(500, ct);
            }
        }
    }

    private async Task<bool> IndexerBehindAsync(Market.Chain.Address consumer, CancellationToken ct)
    {
        ulong target = chain.LastDepositBlock(consumer);
        if (chain.HasRpc)
        {
            try { target = Math.Max(target, await chain.Client.BlockNumberAsync(ct)); }
            catch (Market.Chain.ChainException) { }
        }
        if (target == 0) return false;
        try
        {
            var ready = await api.GetAsync("health/ready", auth: false, ct);
            return (ready?["indexedBlock"]?.GetValue<ulong>() ?? 0) < target;
        }
        catch (ProblemException) { return true; } // not ready yet (503): still catching up
    }
}

using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Market.Chain.Abi;

namespace Market.Chain.Rpc;

/// <summary>
/// Typed Ethereum JSON-RPC. eth_call / eth_estimateGas / eth_sendRawTransaction reverts become
/// <see cref="ContractRevertException"/> (typed by the generated bindings' error registry).
/// </summary>
public sealed partial class EthClient : IDisposable
{
    public EthClient(JsonRpcClient rpc) => Rpc = rpc;

    public EthClient(string url) : this(new JsonRpcClient(url)) { }

    public JsonRpcClient Rpc { get; }

    public async Task<BigInteger> ChainIdAsync(CancellationToken ct = default) =>
        Hex.DecodeQuantity((await Rpc.SendAsync("eth_chainId", [], ct)).GetString());

    public async Task<ulong> BlockNumberAsync(CancellationToken ct = default) =>
        Hex.DecodeQuantityUInt64((await Rpc.SendAsync("eth_blockNumber", [], ct)).GetString());

    public async Task<BigInteger> GetBalanceAsync(Address account, BlockParameter? block = null, CancellationToken ct = default) =>
        Hex.DecodeQuantity((await Rpc.SendAsync("eth_getBalance", [account.ToLowerHex(), Tag(block)], ct)).GetString());

    /// <summary>The account's nonce; with <see cref="BlockParameter.Pending"/> it counts pool transactions too.</summary>
    public async Task<BigInteger> GetTransactionCountAsync(Address account, BlockParameter? block = null, CancellationToken ct = default) =>
        Hex.DecodeQuantity((await Rpc.SendAsync("eth_getTransactionCount", [account.ToLowerHex(), Tag(block)], ct)).GetString());

    public async Task<byte[]> GetCodeAsync(Address account, BlockParameter? block = null, CancellationToken ct = default) =>
        Hex.Decode((await Rpc.SendAsync("eth_getCode", [account.ToLowerHex(), Tag(block)], ct)).GetString());

    public async Task<BigInteger> GasPriceAsync(CancellationToken ct = default) =>
        Hex.DecodeQuantity((await Rpc.SendAsync("eth_gasPrice", [], ct)).GetString());

    public async Task<byte[]> CallAsync(CallRequest call, BlockParameter? block = null, IEnumerable<AbiError>? knownErrors = null, CancellationToken ct = default)
    {
        try { return Hex.Decode((await Rpc.SendAsync("eth_call", [call.ToJson(), Tag(block)], ct)).GetString()); }
        catch (RpcException ex) when (RevertData.ToRevert(ex, knownErrors) is { } revert) { throw revert; }
    }

    public async Task<BigInteger> EstimateGasAsync(CallRequest call, IEnumerable<AbiError>? knownErrors = null, CancellationToken ct = default)
    {
        try { return Hex.DecodeQuantity((await Rpc.SendAsync("eth_estimateGas", [call.ToJson()], ct)).GetString()); }
        catch (RpcException ex) when (RevertData.ToRevert(ex, knownErrors) is { } revert) { throw revert; }
    }

    /// <summary>Submits a signed transaction; returns its hash.</summary>
    public async Task<string> SendRawTransactionAsync(byte[] raw, IEnumerable<AbiError>? knownErrors = null, CancellationToken ct = default)
    {
        try { return (await Rpc.SendAsync("eth_sendRawTransaction", [Hex.Encode(raw)], ct)).GetString()!; }
        catch (RpcException ex) when (RevertData.ToRevert(ex, knownErrors) is { } revert) { throw revert; }
    }

    public async Task<TransactionReceipt?> GetTransactionReceiptAsync(string txHash, CancellationToken ct = default)
    {
        var r = await Rpc.SendAsync("eth_getTransactionReceipt", [txHash], ct);
        return r.ValueKind == JsonValueKind.Null ? null : TransactionReceipt.Parse(r);
    }

    /// <summary>True when the node knows the transaction (pending or mined).</summary>
    public async Task<bool> TransactionExistsAsync(string txHash, CancellationToken ct = default) =>
        (await Rpc.SendAsync("eth_getTransactionByHash", [txHash], ct)).ValueKind != JsonValueKind.Null;

    /// <summary>Polls for the receipt (50 ms growing to 1 s) until it exists or <paramref name="timeout"/> passes.</summary>
    public async Task<TransactionReceipt> WaitForReceiptAsync(string txHash, TimeSpan? timeout = null, CancellationToken ct = default)
    {
        var limit = timeout ?? TimeSpan.FromMinutes(2);
        var started = System.Diagnostics.Stopwatch.StartNew();
        var delay = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            if (await GetTransactionReceiptAsync(txHash, ct) is { } receipt) return receipt;
            if (started.Elapsed >= limit) throw new TransactionTimeoutException(txHash, started.Elapsed);
            await Task.Delay(delay, ct);
            delay = TimeSpan.FromMilliseconds(Math.Min(1000, delay.TotalMilliseconds * 1.5));
        }
    }

    public async Task<Block?> GetBlockByNumberAsync(BlockParameter block, CancellationToken ct = default)
    {
        var r = await Rpc.SendAsync("eth_getBlockByNumber", [block.ToString(), false], ct);
        return r.ValueKind == JsonValueKind.Null ? null : Block.Parse(r);
    }

    public async Task<FeeHistory> FeeHistoryAsync(int blockCount, BlockParameter? newest = null, IReadOnlyList<double>? rewardPercentiles = null, CancellationToken ct = default)
    {
        var percentiles = new JsonArray((rewardPercentiles ?? []).Select(p => (JsonNode?)p).ToArray());
        return FeeHistory.Parse(await Rpc.SendAsync("eth_feeHistory", [Hex.EncodeQuantity(blockCount), Tag(newest), percentiles], ct));
    }

    /// <summary>eth_maxPriorityFeePerGas, or the median tip of the last 10 blocks when the node lacks it.</summary>
    public async Task<BigInteger> MaxPriorityFeePerGasAsync(CancellationToken ct = default)
    {
        try { return Hex.DecodeQuantity((await Rpc.SendAsync("eth_maxPriorityFeePerGas", [], ct)).GetString()); }
        catch (RpcException)
        {
            var history = await FeeHistoryAsync(10, BlockParameter.Latest, [50], ct);
            var tips = history.Reward.Where(r => r.Count > 0).Select(r => r[0]).OrderBy(x => x).ToList();
            return tips.Count == 0 ? BigInteger.Pow(10, 9) : tips[tips.Count / 2];
        }
    }

    /// <summary>EIP-1559 fees: tip from <see cref="MaxPriorityFeePerGasAsync"/>, max fee = 2 × next base fee + tip.</summary>
    public async Task<(BigInteger MaxFeePerGas, BigInteger MaxPriorityFeePerGas)> SuggestFeesAsync(CancellationToken ct = default)
    {
        var tip = await MaxPriorityFeePerGasAsync(ct);
        var history = await FeeHistoryAsync(1, BlockParameter.Latest, null, ct);
        return (2 * history.NextBaseFee + tip, tip);
    }

    private static string Tag(BlockParameter? block) => (block ?? BlockParameter.Latest).ToString();

    public void Dispose() => Rpc.Dispose();
}

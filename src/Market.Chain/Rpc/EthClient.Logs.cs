using System.Text.Json.Nodes;

namespace Market.Chain.Rpc;

public sealed partial class EthClient
{
    /// <summary>Largest block span asked for in one eth_getLogs call.</summary>
    public ulong MaxLogBlockRange { get; set; } = 5_000;

    /// <summary>
    /// Logs over the filter's range, in chain order, paged by <see cref="MaxLogBlockRange"/>; a page
    /// the node refuses as too large ("query returned more than …", -32005) is split in halves.
    /// </summary>
    public async Task<IReadOnlyList<Log>> GetLogsAsync(LogFilter filter, CancellationToken ct = default)
    {
        var to = filter.ToBlock ?? await BlockNumberAsync(ct);
        var result = new List<Log>();
        for (ulong from = filter.FromBlock; from <= to;)
        {
            var end = Math.Min(to, from + MaxLogBlockRange - 1);
            await FetchRangeAsync(filter, from, end, result, ct);
            if (end == ulong.MaxValue) break;
            from = end + 1;
        }
        return result;
    }

    private async Task FetchRangeAsync(LogFilter filter, ulong from, ulong to, List<Log> into, CancellationToken ct)
    {
        try
        {
            var answer = await Rpc.SendAsync("eth_getLogs", [ToJson(filter, from, to)], ct);
            into.AddRange(answer.EnumerateArray().Select(Log.Parse));
        }
        catch (RpcException ex) when (IsTooLarge(ex) && to > from)
        {
            var mid = from + (to - from) / 2;
            await FetchRangeAsync(filter, from, mid, into, ct);
            await FetchRangeAsync(filter, mid + 1, to, into, ct);
        }
    }

    internal static bool IsTooLarge(RpcException ex) =>
        ex.Code == -32005
        || ex.RpcMessage.Contains("more than", StringComparison.OrdinalIgnoreCase)
        || ex.RpcMessage.Contains("too many", StringComparison.OrdinalIgnoreCase)
        || ex.RpcMessage.Contains("limit exceeded", StringComparison.OrdinalIgnoreCase)
        || ex.RpcMessage.Contains("range", StringComparison.OrdinalIgnoreCase) && ex.RpcMessage.Contains("block", StringComparison.OrdinalIgnoreCase);

    private static JsonObject ToJson(LogFilter f, ulong from, ulong to)
    {
        var o = new JsonObject { ["fromBlock"] = Hex.EncodeQuantity(from), ["toBlock"] = Hex.EncodeQuantity(to) };
        if (f.Addresses.Count == 1) o["address"] = f.Addresses[0].ToLowerHex();
        else if (f.Addresses.Count > 1) o["address"] = new JsonArray(f.Addresses.Select(a => (JsonNode?)a.ToLowerHex()).ToArray());
        if (f.Topics.Count > 0)
        {
            o["topics"] = new JsonArray(f.Topics.Select(t => t switch
            {
                null => null,
                { Count: 1 } one => (JsonNode?)Hex.Encode(one[0]),
                var many => new JsonArray(many.Select(x => (JsonNode?)Hex.Encode(x)).ToArray()),
            }).ToArray());
        }
        return o;
    }
}

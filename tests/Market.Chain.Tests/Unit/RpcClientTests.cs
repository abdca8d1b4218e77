using System.Net;
using System.Text;
using System.Text.Json;
using Market.Chain.Abi;
using Market.Chain.Rpc;

namespace Market.Chain.Tests.Unit;

/// <summary>The JSON-RPC client against a scripted HTTP handler: retries, revert shapes, log paging.</summary>
public class RpcClientTests
{
    private sealed class ScriptedHandler(Func<JsonElement, int, HttpResponseMessage> answer) : HttpMessageHandler
    {
        public int Calls;
        public List<JsonElement> Requests { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            var body = JsonDocument.Parse(await request.Content!.ReadAsStringAsync(ct)).RootElement.Clone();
            lock (Requests) Requests.Add(body);
            return answer(body, Interlocked.Increment(ref Calls));
        }
    }

    private static HttpResponseMessage Json(string json) => new(HttpStatusCode.OK) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
    private static string Result(JsonElement req, string result) => $$"""{"jsonrpc":"2.0","id":{{req.GetProperty("id")}},"result":{{result}}}""";
    private static string Error(JsonElement req, int code, string message, string data) =>
        "{\"jsonrpc\":\"2.0\",\"id\":" + req.GetProperty("id") + ",\"error\":{\"code\":" + code + ",\"message\":\"" + message + "\",\"data\":" + data + "}}";

    private static EthClient Client(ScriptedHandler h) =>
        new(new JsonRpcClient(new Uri("http://node.invalid"), new HttpClient(h), new RpcRetryPolicy { InitialDelay = TimeSpan.FromMilliseconds(1), MaxAttempts = 4 }));

    [Fact]
    public async Task Transport_failures_are_retried_with_backoff()
    {
        var h = new ScriptedHandler((req, n) => n <= 2 ? throw new HttpRequestException("connection refused")
            : n == 3 ? new HttpResponseMessage(HttpStatusCode.BadGateway) : Json(Result(req, "\"0x7a69\"")));
        Assert.Equal(31337, (int)await Client(h).ChainIdAsync());
        Assert.Equal(4, h.Calls);
    }

    [Fact]
    public async Task Gives_up_after_the_last_attempt()
    {
        var h = new ScriptedHandler((_, _) => throw new HttpRequestException("down"));
        await Assert.ThrowsAsync<RpcTransportException>(() => Client(h).BlockNumberAsync());
        Assert.Equal(4, h.Calls);
    }

    [Fact]
    public async Task A_revert_is_never_retried_and_decodes_hardhat_and_geth_shapes()
    {
        var error = AbiError.Parse("error LeaseEscrowBidExpired(uint64 deadline)");
        var data = Hex.Encode(error.Encode(1234UL));
        var hardhat = new ScriptedHandler((req, _) => Json(Error(req, -32603, "Error: VM Exception while processing transaction: reverted with custom error 'LeaseEscrowBidExpired(1234)'", $$"""{"message":"reverted","data":"{{data}}"}""")));
        var e1 = await Assert.ThrowsAnyAsync<ContractRevertException>(() => Client(hardhat).CallAsync(new CallRequest { To = Address.Zero }));
        Assert.Equal(1, hardhat.Calls);
        // Registered by the generated LeaseEscrow bindings: the typed exception comes back.
        Assert.IsType<Contracts.LeaseEscrow.ContractDefinition.LeaseEscrowBidExpiredException>(e1);
        Assert.Equal(1234UL, ((Contracts.LeaseEscrow.ContractDefinition.LeaseEscrowBidExpiredException)e1).Deadline);

        var geth = new ScriptedHandler((req, _) => Json(Error(req, 3, "execution reverted", $"\"{Hex.Encode(AbiError.ErrorString.Encode("not allowed"))}\"")));
        var e2 = await Assert.ThrowsAsync<ContractRevertException>(() => Client(geth).EstimateGasAsync(new CallRequest { To = Address.Zero }));
        Assert.Equal("Error", e2.ErrorName);
        Assert.Equal("not allowed", e2.Reason);
        Assert.Equal(1, geth.Calls);

        var panic = new ScriptedHandler((req, _) => Json(Error(req, 3, "execution reverted", $"\"{Hex.Encode(AbiError.Panic.Encode(0x11))}\"")));
        var e3 = await Assert.ThrowsAsync<ContractRevertException>(() => Client(panic).CallAsync(new CallRequest { To = Address.Zero }));
        Assert.Equal("Panic", e3.ErrorName);
        Assert.Contains("overflow", e3.Reason);

        var plain = new ScriptedHandler((req, _) => Json(Error(req, -32000, "nonce too low", "null")));
        var e4 = await Assert.ThrowsAsync<RpcException>(() => Client(plain).SendRawTransactionAsync([1]));
        Assert.Equal(-32000, e4.Code);
    }

    [Fact]
    public async Task Log_queries_are_paged_and_split_when_the_node_refuses()
    {
        var h = new ScriptedHandler((req, _) =>
        {
            var f = req.GetProperty("params")[0];
            var from = Hex.DecodeQuantityUInt64(f.GetProperty("fromBlock").GetString());
            var to = Hex.DecodeQuantityUInt64(f.GetProperty("toBlock").GetString());
            if (to - from + 1 > 25) return Json(Error(req, -32005, "query returned more than 10000 results", "null"));
            var logs = Enumerable.Range((int)from, (int)(to - from + 1)).Where(b => b % 10 == 0).Select(b =>
                $$"""{"address":"0x{{new string('a', 40)}}","topics":["0x{{new string('0', 64)}}"],"data":"0x","blockNumber":"{{Hex.EncodeQuantity(b)}}","blockHash":"0x{{new string('b', 64)}}","transactionHash":"0x{{new string('c', 64)}}","transactionIndex":"0x0","logIndex":"0x0","removed":false}""");
            return Json(Result(req, "[" + string.Join(",", logs) + "]"));
        });
        var client = Client(h);
        client.MaxLogBlockRange = 100;
        var logs = await client.GetLogsAsync(new LogFilter { FromBlock = 0, ToBlock = 250, Addresses = [Address.Parse("0x" + new string('a', 40))] });
        Assert.Equal(Enumerable.Range(0, 26).Select(i => (ulong)(i * 10)), logs.Select(l => l.BlockNumber));
        Assert.True(h.Calls > 3);
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Market.Chain;
using Market.Chain.Bids;
using Market.Protocol.Agents;

namespace Market.Api.Tests.Functional;

/// <summary>
/// Bad input of every kind answers 4xx with a problem detail that names the problem, never a 5xx,
/// and changes nothing: after every case the consumer's job list and the market are as before.
/// </summary>
public sealed class BadInputTests(BadInputFixture fx) : IClassFixture<BadInputFixture>
{
    /// <param name="Changes">The case needs a legitimate job first (replays), so only the refusal itself is checked.</param>
    public sealed record Case(string Name, int Status, string Code, Func<BadInputFixture, Task<HttpResponseMessage>> Send, bool Changes = false)
    {
        public override string ToString() => Name;
    }

    private static Task<HttpResponseMessage> Raw(HttpClient http, string method, string path, string body, string type = "application/json") =>
        http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent(body, Encoding.UTF8, type) });

    /// <summary>A well-formed submission (spec, bid, signature) with one part changed by <paramref name="edit"/>.</summary>
    private static Func<BadInputFixture, Task<HttpResponseMessage>> Submit(Action<JsonObject, JsonObject, JsonObject>? edit = null,
        Func<BadInputFixture, MarketClient>? who = null, JsonObject? spec = null, long maxPrice = 3_000_000, long? deadline = null)
        => async f =>
        {
            var s = spec ?? MarketClient.Spec();
            var (bid, sig) = f.Consumer.SignBid(s, maxPrice, deadline);
            var body = new JsonObject { ["spec"] = s.DeepClone(), ["bid"] = bid, ["signature"] = sig };
            edit?.Invoke(body, (JsonObject)body["spec"]!, bid);
            return await (who?.Invoke(f) ?? f.Consumer).Http.PostAsJsonAsync("/v1/jobs", body);
        };

    /// <summary>A bid re-signed after <paramref name="edit"/> changed it, so only the changed rule can refuse it.</summary>
    private static Func<BadInputFixture, Task<HttpResponseMessage>> Resigned(Action<JsonObject> editBid, JsonObject? spec = null) => async f =>
    {
        var s = spec ?? MarketClient.Spec();
        var (bid, _) = f.Consumer.SignBid(s);
        editBid(bid);
        var b = ParseBid(bid);
        var sig = f.Bids.Sign(b, f.Consumer.Key).ToHex();
        return await f.Consumer.Http.PostAsJsonAsync("/v1/jobs", new JsonObject { ["spec"] = s.DeepClone(), ["bid"] = bid, ["signature"] = sig });
    };

    private static Bid ParseBid(JsonObject bid)
    {
        var j = JsonNode.Parse(bid.ToJsonString())!.AsObject(); // normalise number kinds set by edits
        return new Bid
        {
        Consumer = Address.Parse(j["consumer"]!.GetValue<string>()),
        JobSpecHash = Hex.Decode(j["jobSpecHash"]!.GetValue<string>()),
        ComputeType = (byte)j["computeType"]!.GetValue<int>(),
        Grade = (byte)j["grade"]!.GetValue<int>(),
        MilliNcu = j["milliNcu"]!.GetValue<ulong>(),
        MaxPricePerNcuHour = BigInteger.Parse(j["maxPricePerNcuHour"]!.GetValue<string>()),
        MaxDurationSec = j["maxDurationSec"]!.GetValue<uint>(),
        MinUptimeBps = (ushort)j["minUptimeBps"]!.GetValue<int>(),
        ConstraintsHash = Hex.Decode(j["constraintsHash"]!.GetValue<string>()),
        Nonce = BigInteger.Parse(j["nonce"]!.GetValue<string>()),
        Deadline = j["deadline"]!.GetValue<ulong>(),
        };
    }

    private static string FlipS(string sig)
    {
        // (r, n − s, v ^ 1) recovers the same key but is the malleable high-s twin: must be refused.
        var b = Hex.Decode(sig);
        var n = BigInteger.Parse("115792089237316195423570985008687907852837564279074904382605163141518161494337");
        var s = new BigInteger(b.AsSpan(32, 32), isUnsigned: true, isBigEndian: true);
        var hs = (n - s).ToByteArray(isUnsigned: true, isBigEndian: true);
        var outb = b.ToArray();
        Array.Clear(outb, 32, 32);
        hs.CopyTo(outb, 64 - hs.Length);
        outb[64] = (byte)(outb[64] == 27 ? 28 : 27);
        return Hex.Encode(outb);
    }

    public static TheoryData<Case> Cases()
    {
        var big = new string('x', 2_000_000);
        var cases = new List<Case>
        {
            // Malformed bodies
            new("malformed JSON", 400, "", f => Raw(f.Consumer.Http, "POST", "/v1/jobs", "{\"spec\":")),
            new("body is an array", 400, "", f => Raw(f.Consumer.Http, "POST", "/v1/jobs", "[]")),
            new("body is a string", 400, "", f => Raw(f.Consumer.Http, "POST", "/v1/jobs", "\"job\"")),
            new("empty body", 400, "", f => Raw(f.Consumer.Http, "POST", "/v1/jobs", "")),
            new("unknown top-level field", 400, "", Submit((b, _, _) => b["extra"] = 1)),
            new("wrong content type", 415, "", f => Raw(f.Consumer.Http, "POST", "/v1/jobs", "{}", "text/plain")),
            new("oversize body", 413, "body-too-large", f => Raw(f.Consumer.Http, "POST", "/v1/jobs", $"{{\"requestId\":\"{big}\"}}")),
            // Missing or mistyped parts
            new("missing bid", 400, "", Submit((b, _, _) => b.Remove("bid"))),
            new("missing spec", 400, "", Submit((b, _, _) => b.Remove("spec"))),
            new("missing signature", 400, "", Submit((b, _, _) => b.Remove("signature"))),
            new("spec is a string", 400, "validation", Submit((b, _, _) => b["spec"] = "busybox")),
            new("spec without image", 400, "bad-spec", Submit((_, s, _) => s.Remove("image"))),
            new("spec with empty command", 400, "validation", Submit((_, s, _) => s["command"] = new JsonArray())),
            new("spec with unknown field", 400, "bad-spec", Submit((_, s, _) => s["gpuHours"] = 5)),
            new("spec milliNcu as a string", 400, "bad-spec", Submit((_, s, _) => s["milliNcu"] = "800")),
            new("spec milliNcu negative", 400, "validation", Submit((_, s, _) => s["milliNcu"] = -800)),
            new("spec milliNcu fractional", 400, "bad-spec", Submit((_, s, _) => s["milliNcu"] = 800.5)),
            new("spec with both milliNcu and work", 400, "validation", Submit((_, s, _) => s["work"] = new JsonObject { ["gflop"] = 10, ["deadlineSec"] = 10 })),
            new("spec maxDurationSec zero", 400, "validation", Submit((_, s, _) => s["maxDurationSec"] = 0)),
            new("spec memory absurd", 400, "validation", Submit((_, s, _) => s["resources"] = new JsonObject { ["memoryMb"] = 1 })),
            new("spec image path traversal", 400, "validation", Submit((_, s, _) => s["image"] = "../../etc/passwd")),
            new("spec number beyond 2^53", 400, "bad-spec", Submit((_, s, _) => s["maxDurationSec"] = JsonNode.Parse("9007199254740993"))),
            // Bid fields
            new("bid consumer not an address", 400, "validation", Submit((_, _, b) => b["consumer"] = "0x1234")),
            new("bid consumer bad checksum", 400, "validation", Submit((_, _, b) => b["consumer"] = "0xF39fd6e51aad88F6F4ce6aB8827279cffFb92266")),
            new("bid jobSpecHash short", 400, "validation", Submit((_, _, b) => b["jobSpecHash"] = "0x1234")),
            new("bid grade 5", 400, "validation", Submit((_, _, b) => b["grade"] = 5)),
            new("bid computeType 9", 400, "validation", Submit((_, _, b) => b["computeType"] = 9)),
            new("bid milliNcu zero", 400, "validation", Submit((_, _, b) => b["milliNcu"] = 0)),
            new("bid milliNcu overflowing int64", 400, "", Submit((_, _, b) => b["milliNcu"] = JsonNode.Parse("18446744073709551616"))),
            new("bid price negative", 400, "validation", Submit((_, _, b) => b["maxPricePerNcuHour"] = "-1")),
            new("bid price zero", 400, "validation", Submit((_, _, b) => b["maxPricePerNcuHour"] = "0")),
            new("bid price leading zero", 400, "validation", Submit((_, _, b) => b["maxPricePerNcuHour"] = "0100")),
            new("bid price overflowing int64", 400, "validation", Submit((_, _, b) => b["maxPricePerNcuHour"] = "9223372036854775808")),
            new("bid price as a number", 400, "", Submit((_, _, b) => b["maxPricePerNcuHour"] = 100)),
            new("bid nonce not a number", 400, "validation", Submit((_, _, b) => b["nonce"] = "abc")),
            new("bid nonce above 2^256", 400, "validation", Submit((_, _, b) => b["nonce"] = BigInteger.Pow(2, 256).ToString())),
            new("bid deadline negative", 400, "validation", Submit((_, _, b) => b["deadline"] = -1)),
            new("bid maxDurationSec above uint32", 400, "validation", Submit((_, _, b) => b["maxDurationSec"] = 4_294_967_296L)),
            new("bid minUptimeBps above 100 %", 400, "validation", Submit((_, _, b) => b["minUptimeBps"] = 10_001)),
            new("bid constraintsHash not hex", 400, "validation", Submit((_, _, b) => b["constraintsHash"] = "0x" + new string('z', 64))),
            // Signatures
            new("signature too short", 400, "validation", Submit((b, _, _) => b["signature"] = "0x1234")),
            new("signature not hex", 400, "validation", Submit((b, _, _) => b["signature"] = "0x" + new string('g', 130))),
            new("signature by another key", 400, "bad-signature", async f =>
            {
                var s = MarketClient.Spec();
                var (bid, _) = f.Consumer.SignBid(s);
                var sig = f.Bids.Sign(ParseBid(bid), f.Other.Key).ToHex();
                return await f.Consumer.Http.PostAsJsonAsync("/v1/jobs", new JsonObject { ["spec"] = s, ["bid"] = bid, ["signature"] = sig });
            }),
            new("high-s twin of a valid signature", 400, "bad-signature", Submit((b, _, _) => b["signature"] = FlipS(b["signature"]!.GetValue<string>()))),
            new("signature for another chain", 400, "bad-signature", async f =>
            {
                var s = MarketClient.Spec();
                var (bid, _) = f.Consumer.SignBid(s);
                var sig = new BidSigner(1, f.Chain.Deployment.AddressOf("LeaseEscrow")).Sign(ParseBid(bid), f.Consumer.Key).ToHex();
                return await f.Consumer.Http.PostAsJsonAsync("/v1/jobs", new JsonObject { ["spec"] = s, ["bid"] = bid, ["signature"] = sig });
            }),
            new("signature for another contract", 400, "bad-signature", async f =>
            {
                var s = MarketClient.Spec();
                var (bid, _) = f.Consumer.SignBid(s);
                var sig = new BidSigner(f.Chain.Deployment.ChainId, f.Chain.Deployment.AddressOf("OfferBook")).Sign(ParseBid(bid), f.Consumer.Key).ToHex();
                return await f.Consumer.Http.PostAsJsonAsync("/v1/jobs", new JsonObject { ["spec"] = s, ["bid"] = bid, ["signature"] = sig });
            }),
            new("bid field changed after signing", 400, "bad-signature", Submit((_, _, b) => b["maxPricePerNcuHour"] = "3000001")),
            // Spec and bid disagree
            new("spec changed after signing", 400, "spec-hash-mismatch", Submit((_, s, _) => s["command"] = new JsonArray("sh", "-c", "rm -rf /"))),
            new("bid milliNcu differs from the spec", 400, "bid-spec-mismatch", Resigned(b => b["milliNcu"] = 900)),
            new("bid grade wrong for its size", 400, "bid-spec-mismatch", Resigned(b => b["grade"] = 2)),
            new("bid maxDuration differs from the spec", 400, "bid-spec-mismatch", Resigned(b => b["maxDurationSec"] = 601)),
            new("bid minUptime differs from the spec", 400, "bid-spec-mismatch", Resigned(b => b["minUptimeBps"] = 5_000)),
            new("bid constraintsHash wrong", 400, "bid-spec-mismatch", Resigned(b => b["constraintsHash"] = "0x" + new string('1', 64))),
            new("bid computeType differs", 400, "bid-spec-mismatch", Resigned(b => b["computeType"] = 1)),
            // Business rules
            new("expired deadline", 400, "bid-expired", Submit(deadline: 1_000_000_000)),
            new("insufficient escrow", 402, "insufficient-escrow", Submit(maxPrice: 9_000_000_000_000_000)),
            new("someone else's bid", 403, "forbidden", Submit(who: f => f.Other)),
            new("replayed nonce", 409, "nonce-used", async f =>
            {
                var s = MarketClient.Spec(maxDurationSec: 601);
                var (bid, sig) = f.Consumer.SignBid(s, maxPrice: 1, nonce: 424242); // price 1: rests, never matches
                (await f.Consumer.SubmitAsync(s, bid, sig)).EnsureSuccessStatusCode();
                return await f.Consumer.SubmitAsync(s, bid, sig);
            }, Changes: true),
            new("requestId reused for another bid", 409, "request-id-reused", async f =>
            {
                var s = MarketClient.Spec(maxDurationSec: 602);
                var (b1, s1) = f.Consumer.SignBid(s, maxPrice: 1);
                (await f.Consumer.SubmitAsync(s, b1, s1, "req-reused")).EnsureSuccessStatusCode();
                var (b2, s2) = f.Consumer.SignBid(s, maxPrice: 1);
                return await f.Consumer.SubmitAsync(s, b2, s2, "req-reused");
            }, Changes: true),
            new("requestId with bad characters", 400, "validation", Submit((b, _, _) => b["requestId"] = "a b/c")),
            // Authentication and ownership
            new("no token", 401, "unauthenticated", f => f.Factory.CreateClient().PostAsJsonAsync("/v1/jobs", new { })),
            new("garbage token", 401, "unauthenticated", f =>
            {
                var h = f.Factory.CreateClient();
                h.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Bearer 0123456789abcdef0123456789");
                return h.GetAsync("/v1/jobs");
            }),
            new("someone else's job", 404, "not-found", async f => await f.Other.Http.GetAsync($"/v1/jobs/{await AnyJobAsync(f)}")),
            new("cancel someone else's job", 404, "not-found", async f => await f.Other.Http.DeleteAsync($"/v1/jobs/{await AnyJobAsync(f)}")),
            new("logs of someone else's job", 404, "not-found", async f => await f.Other.Http.GetAsync($"/v1/jobs/{await AnyJobAsync(f)}/logs")),
            new("job id not a number", 404, "", f => f.Consumer.Http.GetAsync("/v1/jobs/abc")),
            new("job id overflowing int64", 404, "", f => f.Consumer.Http.GetAsync("/v1/jobs/99999999999999999999")),
            new("offers with a bad grade", 400, "validation", f => f.Consumer.Http.GetAsync("/v1/offers?grade=9")),
            // Agents
            new("unauthenticated agent", 401, "unauthenticated", f => f.Factory.CreateClient().GetAsync("/v1/agent/leases?wait=0")),
            new("agent status for a lease not its own", 404, "not-found", f =>
                f.Other.Http.PostAsJsonAsync("/v1/agent/leases/1/status", new LeaseStatusReport(1, LeaseStatus.Running, null, null))),
            new("agent status with mismatched lease id", 400, "lease-mismatch", f =>
                f.Agent.Http.PostAsJsonAsync("/v1/agent/leases/1/status", new LeaseStatusReport(2, LeaseStatus.Running, null, null))),
            new("agent status unknown", 400, "", f => Raw(f.Agent.Http, "POST", "/v1/agent/leases/1/status", "{\"leaseId\":1,\"status\":\"Exploded\"}")),
            new("agent log with a bad stream", 400, "bad-stream", f => f.Agent.Http.PostAsJsonAsync("/v1/agent/leases/1/logs", new LogChunk(1, 1, "stdin", "x"))),
            new("agent log chunk too large", 413, "log-chunk-too-large", f => f.Agent.Http.PostAsJsonAsync("/v1/agent/leases/1/logs", new LogChunk(1, 1, "stdout", new string('x', 70_000)))),
            new("agent heartbeat with negative capacity", 400, "bad-heartbeat", f => f.Agent.Http.PostAsJsonAsync("/v1/agent/heartbeat", new Heartbeat("1.0", -1, []))),
            new("agent usage for a lease not its own", 404, "not-found", f =>
                f.Other.Http.PostAsJsonAsync("/v1/agent/leases/1/usage", new UsageReport(1, 1, 0, 1, 1, "0x" + new string('0', 130)))),
            new("agent usage with a malformed signature", 400, "bad-signature", f =>
                f.Agent.Http.PostAsJsonAsync("/v1/agent/leases/1/usage", new UsageReport(1, 1, 0, 1, 1, "0x12"))),
            // Sign-in
            new("sign-in with a bad address", 400, "validation", f => f.Factory.CreateClient().PostAsJsonAsync("/v1/auth/challenge", new { address = "nope" })),
            new("sign-in with a forged message", 401, "sign-in-refused", f => f.Factory.CreateClient().PostAsJsonAsync("/v1/auth/token",
                new { message = "evil wants you to sign in with your Ethereum account:\n0x0\n\n\nURI: x\nVersion: 1\nChain ID: 1\nNonce: n\nIssued At: 2026-01-01T00:00:00Z\nExpiration Time: 2036-01-01T00:00:00Z", signature = "0x" + new string('1', 130) })),
        };
        var data = new TheoryData<Case>();
        foreach (var c in cases) data.Add(c);
        return data;
    }

    private static async Task<long> AnyJobAsync(BadInputFixture f)
    {
        var jobs = await f.Consumer.Http.GetFromJsonAsync<JsonElement>("/v1/jobs");
        if (jobs.GetArrayLength() > 0) return jobs[0].GetProperty("id").GetInt64();
        var s = MarketClient.Spec(maxDurationSec: 603);
        var (bid, sig) = f.Consumer.SignBid(s, maxPrice: 1);
        var r = await f.Consumer.SubmitAsync(s, bid, sig);
        return (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetInt64();
    }

    [Fact]
    public void There_are_at_least_fifty_cases() => Assert.True(Cases().Count >= 50, $"only {Cases().Count} cases");

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_input_is_a_4xx_problem_and_changes_nothing(Case c)
    {
        var before = await SnapshotAsync();
        var r = await c.Send(fx);
        var body = await r.Content.ReadAsStringAsync();
        Assert.True((int)r.StatusCode == c.Status, $"{c.Name}: expected {c.Status}, got {(int)r.StatusCode}: {body}");
        Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(body);
        Assert.Equal(c.Status, problem.RootElement.GetProperty("status").GetInt32());
        if (c.Code.Length > 0) Assert.EndsWith("/" + c.Code, problem.RootElement.GetProperty("type").GetString());
        Assert.False(string.IsNullOrWhiteSpace(problem.RootElement.GetProperty("detail").GetString()));
        if (!c.Changes) Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task A_spec_validation_error_names_the_field_once()
    {
        var send = Submit((_, s, _) => s["image"] = "../../etc/passwd");
        using var problem = JsonDocument.Parse(await (await send(fx)).Content.ReadAsStringAsync());
        var fields = problem.RootElement.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(["spec.image"], fields);
        Assert.StartsWith("spec.image: ", problem.RootElement.GetProperty("detail").GetString());
    }

    /// <summary>What a refusal must leave untouched: the consumers' jobs and the lease/usage tables.</summary>
    private async Task<string> SnapshotAsync()
    {
        var mine = await fx.Consumer.Http.GetStringAsync("/v1/jobs?limit=500");
        var theirs = await fx.Other.Http.GetStringAsync("/v1/jobs?limit=500");
        var markets = await fx.Consumer.Http.GetStringAsync("/v1/markets");
        return mine + theirs + markets;
    }
}

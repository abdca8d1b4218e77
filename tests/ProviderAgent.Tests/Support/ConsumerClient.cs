using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Numerics;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Market.Chain;
using Market.Chain.Bids;
using Market.Chain.Crypto;
using Market.Chain.Signing;
using ProviderAgent.Inventory;

namespace ProviderAgent.Tests.Support;

/// <summary>A consumer over HTTP, as tests/Market.Api.Tests/Functional/MarketClient does it: sign in, sign a bid, submit, watch.</summary>
public sealed class ConsumerClient(HttpClient http, EthKey key, BidSigner bids)
{
    public HttpClient Http => http;

    public async Task<ConsumerClient> SignInAsync()
    {
        var ch = await (await http.PostAsJsonAsync("/v1/auth/challenge", new { address = key.Address.ToString() })).Content.ReadFromJsonAsync<JsonElement>();
        var message = ch.GetProperty("message").GetString()!;
        var r = await http.PostAsJsonAsync("/v1/auth/token", new { message, signature = PersonalMessage.Sign(message, key).ToHex() });
        r.EnsureSuccessStatusCode();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString());
        return this;
    }

    public static JsonObject Spec(string script, long milliNcu = 800, int maxDurationSec = 600) => new()
    {
        ["image"] = "busybox:latest",
        ["command"] = new JsonArray("sh", "-c", script),
        ["milliNcu"] = milliNcu,
        ["maxDurationSec"] = maxDurationSec,
    };

    public async Task<long> SubmitAsync(JsonObject spec)
    {
        var m = (ulong)spec["milliNcu"]!.GetValue<long>();
        var bid = new Bid
        {
            Consumer = key.Address, JobSpecHash = JobSpecHash.Compute(spec.ToJsonString()), ComputeType = 0, Grade = (byte)ComputeUnits.GradeOf(m),
            MilliNcu = m, MaxPricePerNcuHour = 3_000_000, MaxDurationSec = (uint)spec["maxDurationSec"]!.GetValue<int>(), MinUptimeBps = 0,
            ConstraintsHash = new byte[32], Nonce = new BigInteger(RandomNumberGenerator.GetBytes(16), isUnsigned: true),
            Deadline = (ulong)DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeSeconds(),
        };
        var bidJson = new JsonObject
        {
            ["consumer"] = bid.Consumer.ToString(), ["jobSpecHash"] = Hex.Encode(bid.JobSpecHash), ["computeType"] = bid.ComputeType, ["grade"] = bid.Grade,
            ["milliNcu"] = bid.MilliNcu, ["maxPricePerNcuHour"] = bid.MaxPricePerNcuHour.ToString(), ["maxDurationSec"] = bid.MaxDurationSec,
            ["minUptimeBps"] = bid.MinUptimeBps, ["constraintsHash"] = Hex.Encode(bid.ConstraintsHash), ["nonce"] = bid.Nonce.ToString(), ["deadline"] = bid.Deadline,
        };
        var r = await http.PostAsJsonAsync("/v1/jobs", new JsonObject { ["spec"] = spec.DeepClone(), ["bid"] = bidJson, ["signature"] = bids.Sign(bid, key).ToHex() });
        var body = await r.Content.ReadAsStringAsync();
        if (!r.IsSuccessStatusCode) throw new InvalidOperationException($"submit failed: {(int)r.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("jobId").GetInt64();
    }

    public async Task<JsonElement> JobAsync(long id) => await http.GetFromJsonAsync<JsonElement>($"/v1/jobs/{id}");

    public async Task<JsonElement> WaitForStatusAsync(long id, TimeSpan timeout, params string[] statuses)
    {
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            var job = await JobAsync(id);
            if (statuses.Contains(job.GetProperty("status").GetString())) return job;
            if (DateTime.UtcNow > until) throw new TimeoutException($"job {id} stayed {job.GetProperty("status")}: {job}");
            await Task.Delay(100);
        }
    }
}

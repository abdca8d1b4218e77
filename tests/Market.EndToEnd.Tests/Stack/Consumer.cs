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

namespace Market.EndToEnd.Tests.Stack;

/// <summary>A wallet over HTTP, as a consumer (or a provider reading its statement) meets the market: sign in, sign bids, submit, watch.</summary>
public sealed class Consumer(string baseUrl, EthKey key, BidSigner bids)
{
    public HttpClient Http { get; } = new() { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(30) };
    public EthKey Key => key;

    public async Task<Consumer> SignInAsync()
    {
        var ch = await (await Http.PostAsJsonAsync("/v1/auth/challenge", new { address = key.Address.ToString() })).Content.ReadFromJsonAsync<JsonElement>();
        var message = ch.GetProperty("message").GetString()!;
        var r = await Http.PostAsJsonAsync("/v1/auth/token", new { message, signature = PersonalMessage.Sign(message, key).ToHex() });
        r.EnsureSuccessStatusCode();
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString());
        return this;
    }

    public static JsonObject Spec(string script, long milliNcu, int maxDurationSec = 120) => new()
    {
        ["image"] = "busybox:latest", ["command"] = new JsonArray("sh", "-c", script), ["milliNcu"] = milliNcu, ["maxDurationSec"] = maxDurationSec,
    };

    /// <summary>Signs an EIP-712 bid agreeing with <paramref name="spec"/> and submits it; returns the job id.</summary>
    public async Task<long> SubmitAsync(JsonObject spec, long maxPrice)
    {
        var r = await PostJobAsync(spec, maxPrice);
        var text = await r.Content.ReadAsStringAsync();
        if (!r.IsSuccessStatusCode) throw new InvalidOperationException($"submission refused ({(int)r.StatusCode}): {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("jobId").GetInt64();
    }

    /// <summary>POST /v1/jobs with a freshly signed bid; the raw answer.</summary>
    public async Task<HttpResponseMessage> PostJobAsync(JsonObject spec, long maxPrice)
    {
        var m = (ulong)spec["milliNcu"]!.GetValue<long>();
        var bid = new Bid
        {
            Consumer = key.Address, JobSpecHash = JobSpecHash.Compute(spec.ToJsonString()), ComputeType = 0, Grade = Grades.Of(m), MilliNcu = m,
            MaxPricePerNcuHour = maxPrice, MaxDurationSec = (uint)spec["maxDurationSec"]!.GetValue<int>(), MinUptimeBps = 0, ConstraintsHash = new byte[32],
            Nonce = new BigInteger(RandomNumberGenerator.GetBytes(16), isUnsigned: true), Deadline = (ulong)DateTimeOffset.UtcNow.AddMinutes(30).ToUnixTimeSeconds(),
        };
        var body = new JsonObject
        {
            ["spec"] = spec.DeepClone(),
            ["bid"] = new JsonObject
            {
                ["consumer"] = bid.Consumer.ToString(), ["jobSpecHash"] = Hex.Encode(bid.JobSpecHash), ["computeType"] = 0, ["grade"] = bid.Grade,
                ["milliNcu"] = bid.MilliNcu, ["maxPricePerNcuHour"] = maxPrice.ToString(), ["maxDurationSec"] = bid.MaxDurationSec, ["minUptimeBps"] = 0,
                ["constraintsHash"] = Hex.Encode(bid.ConstraintsHash), ["nonce"] = bid.Nonce.ToString(), ["deadline"] = bid.Deadline,
            },
            ["signature"] = bids.Sign(bid, key).ToHex(),
        };
        return await Http.PostAsJsonAsync("/v1/jobs", body);
    }

    public async Task<JsonElement> JobAsync(long id) => await Http.GetFromJsonAsync<JsonElement>($"/v1/jobs/{id}");

    public async Task<JsonElement> SettlementAsync(long id) => await Http.GetFromJsonAsync<JsonElement>($"/v1/jobs/{id}/settlement");

    public async Task<JsonElement> StatementAsync() => await Http.GetFromJsonAsync<JsonElement>($"/v1/statements/{key.Address.ToLowerHex()}?format=json");

    public Task<JsonElement> WaitForStatusAsync(long id, TimeSpan timeout, params string[] statuses) =>
        Wait.ForAsync(() => JobAsync(id), j => statuses.Contains(j.GetProperty("status").GetString()), timeout, $"job {id} to reach {string.Join('|', statuses)}");

    public Task<JsonElement> WaitForSettlementAsync(long id, TimeSpan timeout, string state = "settled") =>
        Wait.ForAsync(() => SettlementAsync(id), s => s.GetProperty("state").GetString() == state, timeout, $"job {id}'s settlement to be {state}");
}

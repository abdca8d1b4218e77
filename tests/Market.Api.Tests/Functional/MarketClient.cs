using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Numerics;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Market.Chain;
using Market.Chain.Bids;
using Market.Chain.Crypto;
using Market.Chain.Json;
using Market.Chain.Signing;

namespace Market.Api.Tests.Functional;

/// <summary>What a consumer or an agent does over HTTP: sign in, build and sign bids, submit.</summary>
public sealed class MarketClient(HttpClient http, EthKey key, BidSigner bids)
{
    public HttpClient Http { get; } = http;
    public EthKey Key { get; } = key;

    public async Task<MarketClient> SignInAsync()
    {
        var ch = await (await Http.PostAsJsonAsync("/v1/auth/challenge", new { address = Key.Address.ToString() })).Content.ReadFromJsonAsync<JsonElement>();
        var message = ch.GetProperty("message").GetString()!;
        var r = await Http.PostAsJsonAsync("/v1/auth/token", new { message, signature = PersonalMessage.Sign(message, Key).ToHex() });
        r.EnsureSuccessStatusCode();
        var token = (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString();
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return this;
    }

    public static JsonObject Spec(long milliNcu = 800, int maxDurationSec = 600, JsonObject? constraints = null)
    {
        var spec = new JsonObject
        {
            ["image"] = "busybox:latest",
            ["command"] = new JsonArray("sh", "-c", "echo $((6*7))"),
            ["milliNcu"] = milliNcu,
            ["maxDurationSec"] = maxDurationSec,
        };
        if (constraints is not null) spec["constraints"] = constraints;
        return spec;
    }

    /// <summary>A bid that agrees with <paramref name="spec"/>, signed by this client's key.</summary>
    public (JsonObject Bid, string Signature) SignBid(JsonObject spec, long maxPrice = 3_000_000, long? deadline = null, BigInteger? nonce = null)
    {
        var m = (ulong)spec["milliNcu"]!.GetValue<long>();
        var constraints = spec["constraints"] is { } c
            ? Keccak256.Hash(System.Text.Encoding.UTF8.GetBytes(CanonicalJson.Canonicalize(c.ToJsonString()))) : new byte[32];
        var bid = new Bid
        {
            Consumer = Key.Address,
            JobSpecHash = JobSpecHash.Compute(spec.ToJsonString()),
            ComputeType = 0,
            Grade = Market.Matching.Model.Grades.GradeOf(m),
            MilliNcu = m,
            MaxPricePerNcuHour = maxPrice,
            MaxDurationSec = (uint)spec["maxDurationSec"]!.GetValue<int>(),
            MinUptimeBps = (ushort)(spec["constraints"]?["minUptimeBps"]?.GetValue<int>() ?? 0),
            ConstraintsHash = constraints,
            Nonce = nonce ?? new BigInteger(RandomNumberGenerator.GetBytes(16), isUnsigned: true),
            Deadline = (ulong)(deadline ?? DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeSeconds()),
        };
        return (ToJson(bid), bids.Sign(bid, Key).ToHex());
    }

    public static JsonObject ToJson(Bid b) => new()
    {
        ["consumer"] = b.Consumer.ToString(),
        ["jobSpecHash"] = Hex.Encode(b.JobSpecHash),
        ["computeType"] = b.ComputeType,
        ["grade"] = b.Grade,
        ["milliNcu"] = b.MilliNcu,
        ["maxPricePerNcuHour"] = b.MaxPricePerNcuHour.ToString(),
        ["maxDurationSec"] = b.MaxDurationSec,
        ["minUptimeBps"] = b.MinUptimeBps,
        ["constraintsHash"] = Hex.Encode(b.ConstraintsHash),
        ["nonce"] = b.Nonce.ToString(),
        ["deadline"] = b.Deadline,
    };

    public Task<HttpResponseMessage> SubmitAsync(JsonObject spec, JsonObject bid, string signature, string? requestId = null) =>
        Http.PostAsJsonAsync("/v1/jobs", new JsonObject
        {
            ["requestId"] = requestId, ["spec"] = spec.DeepClone(), ["bid"] = bid.DeepClone(), ["signature"] = signature,
        });

    public async Task<JsonElement> JobAsync(long id) => await Http.GetFromJsonAsync<JsonElement>($"/v1/jobs/{id}");

    public async Task<JsonElement> WaitForStatusAsync(long id, params string[] statuses)
    {
        var until = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var job = await JobAsync(id);
            if (statuses.Contains(job.GetProperty("status").GetString())) return job;
            if (DateTime.UtcNow > until) throw new TimeoutException($"job {id} stayed {job.GetProperty("status")}: {job}");
            await Task.Delay(50);
        }
    }
}

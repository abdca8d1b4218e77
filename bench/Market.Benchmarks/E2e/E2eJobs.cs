using System.Net.Http.Headers;
using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Market.Chain;
using Market.Chain.Bids;
using Market.Chain.Crypto;

namespace Market.Benchmarks.E2e;

/// <summary>
/// The consumer side of the e2e run: signed busybox jobs that print a checkable number, their
/// submission, and the job timeline read back (the API's own timestamps of each status change).
/// </summary>
public static class E2eJobs
{
    public const long MilliNcu = 500, MaxPrice = 3_000_000;
    public const int MaxDurationSec = 60;

    /// <summary>Statuses at or after "running": a job seen in one of them has started.</summary>
    public static readonly HashSet<string> StartedOrLater = ["running", "exited", "failed", "timedout", "settled"];

    /// <summary>Statuses that end a job without a run (or after one that will never settle).</summary>
    public static readonly HashSet<string> Dead = ["expired", "cancelled", "rejected", "refused", "reclaimed"];

    /// <summary>The POST /v1/jobs body of job <paramref name="i"/>: prints i², grade 3, signed with <paramref name="key"/>.</summary>
    public static byte[] Signed(BidSigner signer, EthKey key, int i)
    {
        var spec = new JsonObject
        {
            ["image"] = "busybox:latest", ["command"] = new JsonArray("sh", "-c", $"echo $(({i} * {i}))"), ["milliNcu"] = MilliNcu,
            ["maxDurationSec"] = MaxDurationSec, ["resources"] = new JsonObject { ["memoryMb"] = 16, ["pids"] = 16, ["tmpMb"] = 1 },
        };
        var bid = new Bid
        {
            Consumer = key.Address, JobSpecHash = JobSpecHash.Compute(spec.ToJsonString()), ComputeType = 0, Grade = 3, MilliNcu = (ulong)MilliNcu,
            MaxPricePerNcuHour = MaxPrice, MaxDurationSec = MaxDurationSec, ConstraintsHash = new byte[32], Nonce = new BigInteger(i) + 2_000_000,
            Deadline = (ulong)DateTimeOffset.UtcNow.AddHours(2).ToUnixTimeSeconds(),
        };
        var body = new JsonObject
        {
            ["spec"] = spec,
            ["bid"] = new JsonObject
            {
                ["consumer"] = bid.Consumer.ToString(), ["jobSpecHash"] = Hex.Encode(bid.JobSpecHash), ["computeType"] = 0, ["grade"] = 3,
                ["milliNcu"] = MilliNcu, ["maxPricePerNcuHour"] = MaxPrice.ToString(), ["maxDurationSec"] = MaxDurationSec, ["minUptimeBps"] = 0,
                ["constraintsHash"] = Hex.Encode(bid.ConstraintsHash), ["nonce"] = bid.Nonce.ToString(), ["deadline"] = bid.Deadline,
            },
            ["signature"] = signer.Sign(bid, key).ToHex(),
        };
        return Encoding.UTF8.GetBytes(body.ToJsonString());
    }

    /// <summary>Submits one signed job; the job id, or an exception with the API's answer.</summary>
    public static async Task<long> SubmitAsync(HttpClient http, string token, byte[] body)
    {
        using var msg = new HttpRequestMessage(HttpMethod.Post, "/v1/jobs") { Content = new ByteArrayContent(body) };
        msg.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        msg.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var r = await http.SendAsync(msg);
        var text = await r.Content.ReadAsStringAsync();
        if ((int)r.StatusCode != 202) throw new InvalidOperationException($"submit answered {(int)r.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("jobId").GetInt64();
    }

    /// <summary>GET /v1/jobs/{id}: the current status and the first time (unix ms, the API's clock) each status was entered.</summary>
    public static async Task<(string Status, Dictionary<string, long> At)> ReadAsync(HttpClient http, string token, long id)
    {
        using var msg = new HttpRequestMessage(HttpMethod.Get, $"/v1/jobs/{id}");
        msg.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var r = await http.SendAsync(msg);
        r.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(await r.Content.ReadAsStreamAsync());
        var at = new Dictionary<string, long>();
        foreach (var e in doc.RootElement.GetProperty("timeline").EnumerateArray())
            at.TryAdd(e.GetProperty("status").GetString()!, e.GetProperty("at").GetInt64());
        return (doc.RootElement.GetProperty("status").GetString()!, at);
    }
}

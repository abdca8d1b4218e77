using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Market.Chain.Crypto;
using Market.Chain.Signing;
using Market.Protocol.Agents;

namespace ProviderAgent.MarketApi;

/// <summary>
/// The market API as the provider's agent uses it: wallet sign-in (challenge signed with
/// personal_sign, exchanged for a bearer token, renewed on 401), the lease long-poll, heartbeats
/// and the per-lease reports. Malformed answers surface as <see cref="JsonException"/> or
/// <see cref="MarketApiException"/>, never as a crash of the caller's loop.
/// </summary>
public sealed class AgentApiClient(HttpClient http, EthKey key)
{
    private readonly SemaphoreSlim _signIn = new(1, 1);
    private string? _token;
    // Web defaults, enums as numbers: what the market's minimal APIs bind without extra converters.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public HttpClient Http => http;

    public async Task SignInAsync(CancellationToken ct)
    {
        await _signIn.WaitAsync(ct);
        try
        {
            using var challenge = await http.PostAsJsonAsync("/v1/auth/challenge", new { address = key.Address.ToString() }, ct);
            await EnsureAsync(challenge, ct);
            var message = (await challenge.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("message").GetString()
                ?? throw new JsonException("challenge without a message");
            using var token = await http.PostAsJsonAsync("/v1/auth/token", new { message, signature = PersonalMessage.Sign(message, key).ToHex() }, ct);
            await EnsureAsync(token, ct);
            _token = (await token.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("token").GetString()
                ?? throw new JsonException("token answer without a token");
        }
        finally { _signIn.Release(); }
    }

    public async Task<IReadOnlyList<LeaseAssignment>> WaitForLeasesAsync(int waitSec, CancellationToken ct)
    {
        using var r = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, $"/v1/agent/leases?wait={waitSec}"), ct);
        var list = await r.Content.ReadFromJsonAsync<List<LeaseAssignment?>>(Json, ct) ?? [];
        return list.Where(l => l is not null).Select(l => l!).ToList();
    }

    public async Task<IReadOnlyList<long>> HeartbeatAsync(Heartbeat beat, CancellationToken ct)
    {
        using var r = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, "/v1/agent/heartbeat") { Content = JsonContent.Create(beat, options: Json) }, ct);
        var body = await r.Content.ReadFromJsonAsync<JsonElement>(ct);
        return body.TryGetProperty("cancel", out var c) && c.ValueKind == JsonValueKind.Array
            ? c.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Number).Select(e => e.GetInt64()).ToList() : [];
    }

    /// <summary>Delivers one outbox report (kind status|log|usage: JSON body; result: raw bytes).</summary>
    public async Task SendReportAsync(long leaseId, string kind, byte[] body, CancellationToken ct)
    {
        (HttpMethod method, string path, string type) = kind switch
        {
            "status" => (HttpMethod.Post, "status", "application/json"),
            "log" => (HttpMethod.Post, "logs", "application/json"),
            "usage" => (HttpMethod.Post, "usage", "application/json"),
            "result" => (HttpMethod.Put, "result", "text/plain; charset=utf-8"),
            _ => throw new ArgumentException($"unknown report kind {kind}"),
        };
        using var r = await SendAsync(() =>
        {
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(type);
            return new HttpRequestMessage(method, $"/v1/agent/leases/{leaseId}/{path}") { Content = content };
        }, ct);
    }

    public static byte[] Serialize<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Json);

    private async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> build, CancellationToken ct)
    {
        if (_token is null) await SignInAsync(ct);
        for (int attempt = 0; ; attempt++)
        {
            using var request = build();
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
            var r = await http.SendAsync(request, ct);
            if (r.StatusCode == HttpStatusCode.Unauthorized && attempt == 0)
            {
                r.Dispose();
                await SignInAsync(ct); // the token lasts an hour: sign in again, once
                continue;
            }
            await EnsureAsync(r, ct);
            return r;
        }
    }

    private static async Task EnsureAsync(HttpResponseMessage r, CancellationToken ct)
    {
        if (r.IsSuccessStatusCode) return;
        string detail = "";
        try { detail = await r.Content.ReadAsStringAsync(ct); } catch (HttpRequestException) { }
        var status = r.StatusCode;
        r.Dispose();
        throw new MarketApiException(status, $"{(int)status} {status}: {(detail.Length > 500 ? detail[..500] : detail)}");
    }
}

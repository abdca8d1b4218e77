using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Market.Chain.Signing;
using Market.Cli.Accounts;
using Market.Cli.Cli;

namespace Market.Cli.Api;

/// <summary>
/// HTTP access to Market.Api. Routes that need a wallet sign in on first use (SIWE challenge →
/// personal_sign → bearer token, cached by <see cref="SessionStore"/>); a 401 with a cached token
/// signs in again once. Every non-2xx answer becomes a <see cref="ProblemException"/>.
/// </summary>
internal sealed class MarketApiClient(string baseUrl, SessionStore sessions, Wallet wallet)
{
    private readonly HttpClient _http = new() { BaseAddress = new Uri(baseUrl + "/"), Timeout = TimeSpan.FromSeconds(100) };
    private string? _token;

    public string BaseUrl => baseUrl;

    public Task<JsonNode?> GetAsync(string path, bool auth, CancellationToken ct) =>
        SendJsonAsync(() => new HttpRequestMessage(HttpMethod.Get, path), auth, ct);

    public Task<JsonNode?> PostAsync(string path, JsonNode body, bool auth, CancellationToken ct) =>
        SendJsonAsync(() => new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) }, auth, ct);

    public Task<JsonNode?> DeleteAsync(string path, CancellationToken ct) =>
        SendJsonAsync(() => new HttpRequestMessage(HttpMethod.Delete, path), true, ct);

    /// <summary>A non-JSON answer (a job's result, a CSV statement): its bytes and content type.</summary>
    public async Task<(byte[] Data, string? ContentType)> GetBytesAsync(string path, bool auth, CancellationToken ct)
    {
        using var r = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, path), auth, ct);
        return (await r.Content.ReadAsByteArrayAsync(ct), r.Content.Headers.ContentType?.ToString());
    }

    private async Task<JsonNode?> SendJsonAsync(Func<HttpRequestMessage> request, bool auth, CancellationToken ct)
    {
        using var r = await SendAsync(request, auth, ct);
        var text = await r.Content.ReadAsStringAsync(ct);
        try { return text.Length == 0 ? null : JsonNode.Parse(text); }
        catch (JsonException) { throw new CliException(ExitCodes.Error, $"the API answered {(int)r.StatusCode} with something that is not JSON"); }
    }

    private async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> request, bool auth, CancellationToken ct)
    {
        for (int attempt = 0; ; attempt++)
        {
            var m = request();
            if (auth) m.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(fresh: attempt > 0, ct));
            var r = await _http.SendAsync(m, ct);
            if (r.IsSuccessStatusCode) return r;
            if (auth && attempt == 0 && r.StatusCode == HttpStatusCode.Unauthorized) { r.Dispose(); continue; }
            using (r) throw await ProblemAsync(r, ct);
        }
    }

    private async Task<string> TokenAsync(bool fresh, CancellationToken ct)
    {
        var address = wallet.Address.ToLowerHex();
        if (fresh) { sessions.Forget(baseUrl, address); _token = null; }
        _token ??= sessions.Get(baseUrl, address, DateTimeOffset.UtcNow);
        if (_token is not null) return _token;
        var key = wallet.Key;
        var challenge = await SendJsonAsync(() => new HttpRequestMessage(HttpMethod.Post, "v1/auth/challenge")
            { Content = JsonContent.Create(new { address = key.Address.ToString() }) }, false, ct);
        var message = challenge?["message"]?.GetValue<string>() ?? throw new CliException(ExitCodes.Error, "the API's challenge has no message");
        var token = await SendJsonAsync(() => new HttpRequestMessage(HttpMethod.Post, "v1/auth/token")
            { Content = JsonContent.Create(new { message, signature = PersonalMessage.Sign(message, key).ToHex() }) }, false, ct);
        _token = token?["token"]?.GetValue<string>() ?? throw new CliException(ExitCodes.Error, "the API issued no token");
        var expires = token["expiresAt"]?.GetValue<DateTimeOffset>() ?? DateTimeOffset.UtcNow.AddMinutes(5);
        sessions.Put(baseUrl, address, _token, expires);
        return _token;
    }

    /// <summary>RFC 9457: the code is the last segment of <c>type</c>; validation problems add their field errors to the detail.</summary>
    public static async Task<ProblemException> ProblemAsync(HttpResponseMessage r, CancellationToken ct)
    {
        var status = (int)r.StatusCode;
        string code = status == 404 ? "not-found" : $"http-{status}", detail = r.ReasonPhrase ?? "";
        try
        {
            if (JsonNode.Parse(await r.Content.ReadAsStringAsync(ct)) is JsonObject p)
            {
                if (p["type"]?.GetValue<string>() is { Length: > 0 } type) code = type[(type.LastIndexOf('/') + 1)..];
                detail = p["detail"]?.GetValue<string>() ?? p["title"]?.GetValue<string>() ?? detail;
                if (p["errors"] is JsonObject errors)
                    detail += " (" + string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(", ", (e.Value as JsonArray ?? []).Select(x => x?.ToString()))}")) + ")";
            }
        }
        catch (JsonException) { }
        return new ProblemException(status, code, detail);
    }
}

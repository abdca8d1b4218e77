using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Market.Chain.Rpc;

/// <summary>
/// JSON-RPC 2.0 over HTTP. Transport failures are retried per <see cref="RpcRetryPolicy"/>; an
/// error object from the node is never retried and surfaces as <see cref="RpcException"/>.
/// </summary>
public sealed class JsonRpcClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private long _id;

    public JsonRpcClient(Uri endpoint, HttpClient? http = null, RpcRetryPolicy? retry = null)
    {
        Endpoint = endpoint;
        _ownsHttp = http is null;
        _http = http ?? new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = Timeout.InfiniteTimeSpan };
        Retry = retry ?? new RpcRetryPolicy();
    }

    public JsonRpcClient(string endpoint) : this(new Uri(endpoint)) { }

    public Uri Endpoint { get; }
    public RpcRetryPolicy Retry { get; }

    public async Task<JsonElement> SendAsync(string method, JsonArray parameters, CancellationToken ct = default)
    {
        var id = Interlocked.Increment(ref _id);
        var body = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method, ["params"] = parameters }.ToJsonString();
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await SendOnceAsync(method, body, ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (IsTransient(ex, ct))
            {
                if (attempt >= Retry.MaxAttempts)
                    throw new RpcTransportException($"{method}: node at {Endpoint} unreachable after {attempt} attempts: {ex.Message}", ex);
                await Task.Delay(Retry.DelayFor(attempt), ct).ConfigureAwait(false);
            }
        }
    }

    public Task<JsonElement> SendAsync(string method, params JsonNode?[] parameters) => SendAsync(method, new JsonArray(parameters), default);

    private async Task<JsonElement> SendOnceAsync(string method, string body, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Retry.RequestTimeout);
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await _http.PostAsync(Endpoint, content, timeout.Token).ConfigureAwait(false);
        if ((int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests)
            throw new HttpRequestException($"HTTP {(int)response.StatusCode}", null, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
        JsonDocument doc;
        try { doc = JsonDocument.Parse(text); }
        catch (JsonException ex) { throw new RpcTransportException($"{method}: HTTP {(int)response.StatusCode}, not JSON-RPC: {Shorten(text)}", ex); }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
            {
                int code = error.TryGetProperty("code", out var c) && c.TryGetInt32(out var ci) ? ci : 0;
                var message = error.TryGetProperty("message", out var m) ? m.ToString() : "";
                JsonElement? data = error.TryGetProperty("data", out var d) ? d.Clone() : null;
                throw new RpcException(method, code, message, data);
            }
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("result", out var result))
                throw new RpcTransportException($"{method}: answer has neither result nor error: {Shorten(text)}");
            return result.Clone();
        }
    }

    private static bool IsTransient(Exception ex, CancellationToken ct) => ex switch
    {
        HttpRequestException => true,
        TaskCanceledException or OperationCanceledException => !ct.IsCancellationRequested,
        IOException => true,
        _ => false,
    };

    private static string Shorten(string s) => s.Length <= 200 ? s : s[..200] + "…";

    public void Dispose()
    {
        if (_ownsHttp) _http.Dispose();
    }
}

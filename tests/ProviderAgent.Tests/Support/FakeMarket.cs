using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace ProviderAgent.Tests.Support;

/// <summary>
/// A scripted market API: sign-in always succeeds, the lease long-poll answers the queued bodies in
/// order (then an empty list), heartbeats answer no cancels, and every report is recorded.
/// </summary>
public sealed class FakeMarket : HttpMessageHandler
{
    public ConcurrentQueue<string> LeaseAnswers { get; } = new();
    public ConcurrentQueue<(string Path, string Body)> Reports { get; } = new();
    public int Polls;

    public HttpClient Client() => new(this) { BaseAddress = new Uri("http://market.test") };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        string path = request.RequestUri!.AbsolutePath;
        string body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(ct);
        if (path == "/v1/auth/challenge") return Json("""{"message":"sign me","nonce":"n","expiresAt":0}""");
        if (path == "/v1/auth/token") return Json("""{"token":"t","address":"x","expiresAt":0}""");
        if (path == "/v1/agent/heartbeat") return Json("""{"cancel":[],"serverTime":0}""");
        if (path == "/v1/agent/leases")
        {
            Interlocked.Increment(ref Polls);
            if (LeaseAnswers.TryDequeue(out var answer)) return Json(answer);
            await Task.Delay(50, ct);
            return Json("[]");
        }
        Reports.Enqueue((path, body));
        return new HttpResponseMessage(HttpStatusCode.NoContent);
    }

    private static HttpResponseMessage Json(string s) => new(HttpStatusCode.OK) { Content = new StringContent(s, Encoding.UTF8, "application/json") };
}

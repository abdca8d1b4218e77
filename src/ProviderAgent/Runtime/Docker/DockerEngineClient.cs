using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ProviderAgent.Runtime.Docker;

/// <summary>
/// The few Docker Engine API calls the agent needs, over the daemon's unix socket with plain
/// HttpClient (the Docker.DotNet SDK is not on the registry these hosts reach). API v1.41 is what
/// Debian 12's docker.io speaks; newer daemons still accept it.
/// </summary>
public sealed class DockerEngineClient : IDisposable
{
    private readonly HttpClient _http;

    public DockerEngineClient(string socketPath)
    {
        SocketPath = socketPath;
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch { socket.Dispose(); throw; }
            },
        };
        // Waits and followed logs last as long as the container: per-call tokens bound them instead.
        _http = new HttpClient(handler) { BaseAddress = new Uri("http://docker/v1.41/"), Timeout = Timeout.InfiniteTimeSpan };
    }

    public string SocketPath { get; }

    public async Task<bool> PingAsync(CancellationToken ct)
    {
        try { using var r = await _http.GetAsync("_ping", ct); return r.IsSuccessStatusCode; }
        catch (HttpRequestException) { return false; }
    }

    public async Task<bool> ImageExistsAsync(string name, CancellationToken ct)
    {
        using var r = await _http.GetAsync($"images/{Uri.EscapeDataString(name)}/json", ct);
        if (r.StatusCode == HttpStatusCode.NotFound) return false;
        await EnsureOk(r, "inspect image");
        return true;
    }

    /// <summary>POST /images/create?fromSrc=- : `docker import` of a rootfs tar.</summary>
    public async Task ImportImageAsync(Stream rootfsTar, string repository, string tag, CancellationToken ct)
    {
        var content = new StreamContent(rootfsTar);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-tar");
        using var r = await _http.PostAsync($"images/create?fromSrc=-&repo={Uri.EscapeDataString(repository)}&tag={Uri.EscapeDataString(tag)}", content, ct);
        string body = await r.Content.ReadAsStringAsync(ct);
        // Progress is a stream of JSON objects; a failure arrives as {"error": ...} with status 200.
        if (!r.IsSuccessStatusCode || body.Contains("\"error\"", StringComparison.Ordinal))
            throw new ContainerRuntimeException($"docker image import failed: {body.Trim()}");
    }

    /// <summary>GET /images/{name}/get: the `docker save` tarball of an image, written to <paramref name="destination"/>.</summary>
    public async Task SaveImageAsync(string name, Stream destination, CancellationToken ct)
    {
        using var r = await _http.GetAsync($"images/{Uri.EscapeDataString(name)}/get", HttpCompletionOption.ResponseHeadersRead, ct);
        await EnsureOk(r, "save image");
        await using var body = await r.Content.ReadAsStreamAsync(ct);
        await body.CopyToAsync(destination, ct);
    }

    /// <summary>The image's ID (sha256 of its config), or null when the daemon does not have it.</summary>
    public async Task<string?> ImageIdAsync(string name, CancellationToken ct)
    {
        using var r = await _http.GetAsync($"images/{Uri.EscapeDataString(name)}/json", ct);
        if (r.StatusCode == HttpStatusCode.NotFound) return null;
        await EnsureOk(r, "inspect image");
        using var doc = JsonDocument.Parse(await r.Content.ReadAsStringAsync(ct));
        return doc.RootElement.GetProperty("Id").GetString();
    }

    public async Task<string> CreateContainerAsync(string name, JsonObject body, CancellationToken ct)
    {
        using var r = await _http.PostAsync($"containers/create?name={Uri.EscapeDataString(name)}",
            new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"), ct);
        await EnsureOk(r, "create container");
        using var doc = JsonDocument.Parse(await r.Content.ReadAsStringAsync(ct));
        return doc.RootElement.GetProperty("Id").GetString()!;
    }

    public async Task StartContainerAsync(string name, CancellationToken ct)
    {
        using var r = await _http.PostAsync($"containers/{name}/start", null, ct);
        if (r.StatusCode != HttpStatusCode.NotModified) await EnsureOk(r, "start container");
    }

    /// <summary>POST /containers/{id}/wait: blocks until the container stops; returns its exit status.</summary>
    public async Task<long> WaitContainerAsync(string name, CancellationToken ct)
    {
        using var r = await _http.PostAsync($"containers/{name}/wait", null, ct);
        await EnsureOk(r, "wait container");
        using var doc = JsonDocument.Parse(await r.Content.ReadAsStringAsync(ct));
        return doc.RootElement.GetProperty("StatusCode").GetInt64();
    }

    /// <summary>GET /containers/{id}/json, or null when the container does not exist.</summary>
    public async Task<JsonDocument?> InspectContainerAsync(string name, CancellationToken ct)
    {
        using var r = await _http.GetAsync($"containers/{name}/json", ct);
        if (r.StatusCode == HttpStatusCode.NotFound) return null;
        await EnsureOk(r, "inspect container");
        return JsonDocument.Parse(await r.Content.ReadAsStringAsync(ct));
    }

    /// <summary>The multiplexed stdout+stderr stream, following until the container stops.</summary>
    public async Task<Stream> LogsAsync(string name, bool follow, CancellationToken ct)
    {
        var req = new HttpRequestMessage(HttpMethod.Get, $"containers/{name}/logs?stdout=1&stderr=1&follow={(follow ? 1 : 0)}");
        var r = await _http.SendAsync(req, HttpCompletionOption.ResponseHeadersRead, ct);
        await EnsureOk(r, "container logs");
        return await r.Content.ReadAsStreamAsync(ct);
    }

    public async Task KillContainerAsync(string name, CancellationToken ct)
    {
        using var r = await _http.PostAsync($"containers/{name}/kill?signal=KILL", null, ct);
        // 409: not running any more, 404: gone; both mean there is nothing to kill.
        if (r.StatusCode is not (HttpStatusCode.Conflict or HttpStatusCode.NotFound)) await EnsureOk(r, "kill container");
    }

    public async Task RemoveContainerAsync(string name, CancellationToken ct)
    {
        using var r = await _http.DeleteAsync($"containers/{name}?force=1&v=1", ct);
        if (r.StatusCode != HttpStatusCode.NotFound) await EnsureOk(r, "remove container");
    }

    /// <summary>Names (without the leading '/') of all containers carrying the label.</summary>
    public async Task<IReadOnlyList<string>> ListContainerNamesAsync(string label, CancellationToken ct)
    {
        string filters = Uri.EscapeDataString($"{{\"label\":[\"{label}\"]}}");
        using var r = await _http.GetAsync($"containers/json?all=1&filters={filters}", ct);
        await EnsureOk(r, "list containers");
        using var doc = JsonDocument.Parse(await r.Content.ReadAsStringAsync(ct));
        return doc.RootElement.EnumerateArray()
            .SelectMany(c => c.GetProperty("Names").EnumerateArray().Select(n => n.GetString()!.TrimStart('/')).Take(1)).ToList();
    }

    private static async Task EnsureOk(HttpResponseMessage r, string what)
    {
        if (r.IsSuccessStatusCode) return;
        string body = await r.Content.ReadAsStringAsync();
        throw new ContainerRuntimeException($"docker {what}: HTTP {(int)r.StatusCode} {body.Trim()}");
    }

    public void Dispose() => _http.Dispose();
}

using System.Net;
using System.Net.Sockets;

namespace Market.TestSupport;

/// <summary>
/// A loopback TCP forwarder that a test can cut and restore, to stage outages of a server (an RPC
/// node, the market API) without stopping it: <see cref="Cut"/> closes the listener and every open
/// connection; <see cref="Restore"/> listens again on the same port.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly IPEndPoint _upstream;
    private readonly List<TcpClient> _open = [];
    private TcpListener? _listener;
    private CancellationTokenSource _cts = new();

    public TcpProxy(int upstreamPort)
    {
        _upstream = new IPEndPoint(IPAddress.Loopback, upstreamPort);
        Port = FreePort.Next();
        Restore();
    }

    public int Port { get; }
    public string Url => $"http://127.0.0.1:{Port}";

    public void Restore()
    {
        if (_listener is not null) return;
        _cts = new CancellationTokenSource();
        var l = new TcpListener(IPAddress.Loopback, Port);
        l.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        l.Start();
        _listener = l;
        _ = AcceptAsync(l, _cts.Token);
    }

    public void Cut()
    {
        _cts.Cancel();
        _listener?.Stop();
        _listener = null;
        lock (_open)
        {
            foreach (var c in _open) c.Dispose();
            _open.Clear();
        }
    }

    private async Task AcceptAsync(TcpListener l, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await l.AcceptTcpClientAsync(ct); }
            catch (Exception) { return; }
            _ = PipeAsync(client, ct);
        }
    }

    private async Task PipeAsync(TcpClient client, CancellationToken ct)
    {
        using var upstream = new TcpClient();
        lock (_open) { _open.Add(client); _open.Add(upstream); }
        try
        {
            await upstream.ConnectAsync(_upstream, ct);
            var a = client.GetStream().CopyToAsync(upstream.GetStream(), ct);
            var b = upstream.GetStream().CopyToAsync(client.GetStream(), ct);
            await Task.WhenAny(a, b);
        }
        catch (Exception) { /* a cut or a peer closing: the connection just ends */ }
        finally
        {
            client.Dispose();
            lock (_open) { _open.Remove(client); _open.Remove(upstream); }
        }
    }

    public ValueTask DisposeAsync()
    {
        Cut();
        return ValueTask.CompletedTask;
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using ProviderAgent.Images;
using ProviderAgent.State;

namespace ProviderAgent.Runtime.Docker;

/// <summary>
/// The Docker Engine API backend. Container names are our ids, so every call addresses a
/// container by a name only this agent makes; a label marks them for listing and orphan removal.
/// Images come from the local store through the Engine's import.
/// </summary>
public sealed partial class DockerRuntime(DockerOptions options, AgentStateStore state, ImageStore images) : IContainerRuntime
{
    public const string BackendName = "docker";
    private readonly DockerEngineClient _docker = new(options.SocketPath);
    private readonly ConcurrentDictionary<string, Task<ContainerResult>> _watchers = new();
    private readonly CancellationTokenSource _disposed = new();
    private readonly SemaphoreSlim _importGate = new(1, 1);

    public string Name => BackendName;

    public DockerEngineClient Engine => _docker;

    public async Task<string> StartAsync(ContainerSpec spec, CancellationToken ct = default)
    {
        spec.EffectiveLimits.Validate();
        if (spec.Network && !options.AllowNetwork)
            throw new ContainerRuntimeException("the job asks for network access, which this provider does not allow");
        string image = await EnsureImageAsync(spec.Image, ct);
        string id = ContainerIds.New(options.IdPrefix);
        var now = DateTimeOffset.UtcNow;
        var record = new ContainerRecord(id, BackendName, spec.Image.Digest, spec.LeaseId, "", ContainerState.Starting,
            null, now, now + spec.EffectiveTimeout);
        state.InsertContainer(record);
        try
        {
            await _docker.CreateContainerAsync(id, DockerContainerBody.Build(spec, image, options.Label, spec.Network), ct);
            await _docker.StartContainerAsync(id, ct);
        }
        catch (Exception e)
        {
            state.MarkFinished(id, ContainerState.Failed, null, false, false, e.Message);
            await _docker.RemoveContainerAsync(id, CancellationToken.None);
            throw;
        }
        state.MarkRunning(id, null);
        var started = Stopwatch.StartNew();
        _watchers[id] = Task.Run(() => WatchAsync(record, spec.LogCapBytes, started));
        return id;
    }

    /// <summary>Imports the store's rootfs into the daemon once per image digest.</summary>
    private async Task<string> EnsureImageAsync(ImageRecord image, CancellationToken ct)
    {
        string tag = image.ShortId;
        string name = $"{options.ImageRepository}:{tag}";
        await _importGate.WaitAsync(ct);
        try
        {
            if (await _docker.ImageExistsAsync(name, ct)) return name;
            string tmp = Path.Combine(options.DataDirectory, "tmp");
            Directory.CreateDirectory(tmp);
            string tar = Path.Combine(tmp, $"docker-import-{tag}-{Environment.ProcessId}.tar");
            try
            {
                await using (var f = File.Create(tar)) images.WriteRootfsTar(image, f);
                await using var input = File.OpenRead(tar);
                await _docker.ImportImageAsync(input, options.ImageRepository, tag, ct);
            }
            finally { File.Delete(tar); }
            return name;
        }
        finally { _importGate.Release(); }
    }

    public Task<ContainerResult> WaitAsync(string id, CancellationToken ct = default)
    {
        ContainerIds.ThrowIfNotOwn(id, options.IdPrefix);
        if (_watchers.TryGetValue(id, out var w)) return w.WaitAsync(ct);
        var r = state.GetContainer(id) ?? throw new ContainerRuntimeException($"no container {id}");
        if (r.IsActive) throw new ContainerRuntimeException($"container {id} is not watched by this agent; call RecoverAsync after a restart");
        return Task.FromResult(new ContainerResult(id, r.ExitCode, r.OomKilled, r.TimedOut, CapturedOutput.Empty, CapturedOutput.Empty,
            (r.FinishedAt ?? r.CreatedAt) - r.CreatedAt, r.Error));
    }

    public Task KillAsync(string id, CancellationToken ct = default)
    {
        ContainerIds.ThrowIfNotOwn(id, options.IdPrefix);
        return _docker.KillContainerAsync(id, ct);
    }

    public async Task DeleteAsync(string id, CancellationToken ct = default)
    {
        ContainerIds.ThrowIfNotOwn(id, options.IdPrefix);
        if (_watchers.TryRemove(id, out var w))
        {
            if (!w.IsCompleted) await _docker.KillContainerAsync(id, ct);
            try { await w.WaitAsync(ct); } catch (Exception) when (!ct.IsCancellationRequested) { }
        }
        await _docker.RemoveContainerAsync(id, ct);
        state.MarkDeleted(id);
    }

    public Task<IReadOnlyList<ContainerInfo>> ListAsync(CancellationToken ct = default)
    {
        return Task.FromResult(state.ListContainerInfos(BackendName));
    }

    public async IAsyncEnumerable<LogChunk> StreamLogsAsync(string id, [EnumeratorCancellation] CancellationToken ct = default)
    {
        ContainerIds.ThrowIfNotOwn(id, options.IdPrefix);
        await using var stream = await _docker.LogsAsync(id, follow: true, ct);
        var channel = System.Threading.Channels.Channel.CreateUnbounded<LogChunk>();
        var pump = Task.Run(async () =>
        {
            try
            {
                await DockerStreamDemux.ReadAsync(stream, (kind, data) =>
                    channel.Writer.TryWrite(new LogChunk(kind == 2 ? "stderr" : "stdout", Encoding.UTF8.GetString(data.Span))), ct);
            }
            finally { channel.Writer.TryComplete(); }
        }, ct);
        await foreach (var chunk in channel.Reader.ReadAllAsync(ct)) yield return chunk;
        await pump;
    }

    public async ValueTask DisposeAsync()
    {
        _disposed.Cancel();
        try { await Task.WhenAll(_watchers.Values).WaitAsync(TimeSpan.FromSeconds(1)); } catch (Exception) { }
        _docker.Dispose();
    }
}

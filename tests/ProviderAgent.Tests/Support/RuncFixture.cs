using System.Diagnostics;
using ProviderAgent.Images;
using ProviderAgent.Runtime;
using ProviderAgent.Runtime.Runc;
using ProviderAgent.State;

namespace ProviderAgent.Tests.Support;

/// <summary>
/// Shared set-up for the runc tests: a data directory, a runc state root and a cgroup parent all
/// unique to this test run (so nothing here can touch another agent's containers), and the busybox
/// image imported once. Dispose removes whatever a failed test may have left.
/// </summary>
public sealed class RuncFixture : IAsyncLifetime
{
    private readonly string _tag = Guid.NewGuid().ToString("N")[..8];
    public TempDir Dir { get; } = new();
    public string StateRoot => $"/run/compute-market-test-{_tag}/runc";
    public string CgroupParent => $"compute-market-test-{_tag}";
    public ImageStore Images { get; private set; } = null!;
    public ImageRecord Busybox { get; private set; } = null!;
    public AgentStateStore State { get; private set; } = null!;
    public Cgroups Cgroups { get; } = new();

    public RuncOptions Options(bool allowNetwork = false) => new()
    {
        DataDirectory = Dir.Path, StateRoot = StateRoot, CgroupParent = CgroupParent, AllowNetwork = allowNetwork,
        PollInterval = TimeSpan.FromMilliseconds(50),
    };

    public RuncRuntime NewRuntime(bool allowNetwork = false) => new(Options(allowNetwork), new AgentStateStore(State.DatabasePath));

    public ContainerSpec Spec(params string[] args) => new(Busybox, args, Timeout: TimeSpan.FromSeconds(30));

    public Task InitializeAsync()
    {
        if (!new[] { "/usr/sbin/runc", "/usr/bin/runc", "/usr/local/sbin/runc" }.Any(File.Exists))
            throw new InvalidOperationException("runc is not installed: apt-get install -y runc (scripts/test.sh does this)");
        if (Environment.UserName != "root")
            throw new InvalidOperationException("the runc tests need root (cgroups, namespaces)");
        Images = new ImageStore(Dir.Path);
        string tar = Dir.File("busybox.tar");
        TestImages.WriteDockerSave(tar, [TestImages.BusyboxLayer]);
        Busybox = Images.Import(tar);
        State = new AgentStateStore(Path.Combine(Dir.Path, "state.db"));
        return Task.CompletedTask;
    }

    public string BundleOf(string id) => Path.Combine(Dir.Path, "containers", id);

    /// <summary>Folders a finished, deleted container must not leave: its bundle, its cgroups, its runc state.</summary>
    public IReadOnlyList<string> Leftovers(string id) =>
        Cgroups.Leftovers(CgroupParent, id)
            .Concat(new[] { BundleOf(id), Path.Combine(StateRoot, id) }.Where(Path.Exists)).ToList();

    public async Task DisposeAsync()
    {
        // Belt and braces after a failed test: force away anything still in our runc root.
        if (Directory.Exists(StateRoot))
            foreach (var d in Directory.EnumerateDirectories(StateRoot))
                await Run("runc", "--root", StateRoot, "delete", "--force", Path.GetFileName(d));
        foreach (var dir in Cgroups.Leftovers(CgroupParent))
        {
            foreach (var child in Directory.EnumerateDirectories(dir)) TryRmdir(child);
            TryRmdir(dir);
        }
        try { Directory.Delete(Path.GetDirectoryName(StateRoot)!, recursive: true); } catch (DirectoryNotFoundException) { }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Dir.Dispose();
    }

    private static void TryRmdir(string d) { try { Directory.Delete(d); } catch (IOException) { } }

    private static async Task Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        await p.WaitForExitAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class RuncCollection : ICollectionFixture<RuncFixture>
{
    public const string Name = "runc";
}

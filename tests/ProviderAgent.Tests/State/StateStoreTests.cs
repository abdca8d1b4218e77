using ProviderAgent.State;
using ProviderAgent.Tests.Support;

namespace ProviderAgent.Tests.State;

public sealed class StateStoreTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    [Fact]
    public void Containers_move_through_their_states_and_survive_reopening()
    {
        string db = _dir.File("state.db");
        var store = new AgentStateStore(db);
        var now = DateTimeOffset.UtcNow;
        store.InsertContainer(new ContainerRecord("cm-1", "runc", "sha256:ab", "lease-1", "/b/cm-1", ContainerState.Starting, null, now, now.AddHours(1)));
        store.MarkRunning("cm-1", 4242);

        var reopened = new AgentStateStore(db); // a restarted agent: migrations run again, harmlessly
        var active = reopened.ListContainers("runc", activeOnly: true);
        Assert.Single(active);
        Assert.Equal(4242, active[0].ShimPid);
        Assert.Equal("lease-1", active[0].LeaseId);

        reopened.MarkFinished("cm-1", ContainerState.Exited, 0, oomKilled: false, timedOut: false, error: null);
        reopened.MarkFinished("cm-1", ContainerState.Failed, 1, true, true, "late"); // first outcome wins
        var done = reopened.GetContainer("cm-1")!;
        Assert.Equal(ContainerState.Exited, done.State);
        Assert.Equal(0, done.ExitCode);
        Assert.NotNull(done.FinishedAt);
        Assert.Empty(reopened.ListContainers("runc", activeOnly: true));
        Assert.Empty(reopened.ListContainers("docker"));

        reopened.MarkDeleted("cm-1");
        Assert.Equal(ContainerState.Deleted, reopened.GetContainer("cm-1")!.State);
        Assert.Empty(reopened.ListContainers("runc"));
    }

    [Fact]
    public void Deleting_a_running_container_records_an_outcome_first()
    {
        var store = new AgentStateStore(_dir.File("s.db"));
        var now = DateTimeOffset.UtcNow;
        store.InsertContainer(new ContainerRecord("cm-2", "runc", "sha256:ab", null, "/b", ContainerState.Running, 1, now, now.AddHours(1)));
        store.MarkDeleted("cm-2");
        var r = store.GetContainer("cm-2")!;
        Assert.Equal(ContainerState.Deleted, r.State);
        Assert.Equal("deleted while running", r.Error);
    }

    [Fact]
    public void Leases_upsert_keeps_known_fields()
    {
        var store = new AgentStateStore(_dir.File("l.db"));
        var t = DateTimeOffset.UtcNow;
        store.UpsertLease(new LeaseRecord("0x01", "accepted", null, "0xhash", t));
        store.UpsertLease(new LeaseRecord("0x01", "running", "cm-9", null, t.AddSeconds(1)));
        var lease = Assert.Single(store.ListLeases());
        Assert.Equal("running", lease.Status);
        Assert.Equal("cm-9", lease.ContainerId);
        Assert.Equal("0xhash", lease.JobSpecHash);
        Assert.Single(store.ListLeases("running"));
        Assert.Empty(store.ListLeases("accepted"));
    }
}

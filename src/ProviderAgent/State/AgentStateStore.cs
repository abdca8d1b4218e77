using Microsoft.Data.Sqlite;

namespace ProviderAgent.State;

/// <summary>
/// The agent's local SQLite database (DESIGN §7 State/): containers and leases, so that a restarted
/// agent finds what it was running. Each call opens its own pooled connection, which keeps the
/// type thread-safe; WAL lets the watcher threads write while the CLI reads.
/// </summary>
public sealed partial class AgentStateStore
{
    private readonly string _connectionString;

    public AgentStateStore(string databasePath)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(databasePath))!);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        Migrate();
    }

    public string DatabasePath => new SqliteConnectionStringBuilder(_connectionString).DataSource;

    internal SqliteConnection Open()
    {
        var c = new SqliteConnection(_connectionString);
        c.Open();
        using var pragma = c.CreateCommand();
        // WAL + synchronous=NORMAL: a commit survives an agent crash (the case restart recovery is
        // for) without an fsync per container state change; only a power cut can drop the last few.
        pragma.CommandText = "PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;";
        pragma.ExecuteNonQuery();
        return c;
    }

    // Schema versions live in PRAGMA user_version; each step runs once, in order.
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE containers (
            id            TEXT PRIMARY KEY,
            backend       TEXT NOT NULL,
            image_digest  TEXT NOT NULL,
            lease_id      TEXT,
            bundle_path   TEXT NOT NULL,
            state         TEXT NOT NULL,
            shim_pid      INTEGER,
            created_at    TEXT NOT NULL,
            deadline      TEXT NOT NULL,
            finished_at   TEXT,
            exit_code     INTEGER,
            oom_killed    INTEGER NOT NULL DEFAULT 0,
            timed_out     INTEGER NOT NULL DEFAULT 0,
            error         TEXT
        );
        CREATE INDEX containers_state ON containers(backend, state);
        CREATE TABLE leases (
            lease_id      TEXT PRIMARY KEY,
            status        TEXT NOT NULL,
            container_id  TEXT,
            job_spec_hash TEXT,
            updated_at    TEXT NOT NULL
        );
        """,
        // The daemon's lease lifecycle (Leases/, Metering/): the assignment as received, the wall
        // anchor that maps elapsed time onto the lease's chain clock, run times, log offsets and the
        // last usage interval, so a restarted daemon resumes exactly where it stopped.
        """
        ALTER TABLE leases ADD COLUMN assignment_json TEXT;
        ALTER TABLE leases ADD COLUMN anchor_ms INTEGER;
        ALTER TABLE leases ADD COLUMN run_start_ms INTEGER;
        ALTER TABLE leases ADD COLUMN run_end_ms INTEGER;
        ALTER TABLE leases ADD COLUMN stdout_offset INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE leases ADD COLUMN stderr_offset INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE leases ADD COLUMN log_seq INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE leases ADD COLUMN log_bytes INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE leases ADD COLUMN usage_seq INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE leases ADD COLUMN usage_to_sec INTEGER;
        ALTER TABLE leases ADD COLUMN milli_ncu INTEGER;
        ALTER TABLE leases ADD COLUMN cancel_requested INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE leases ADD COLUMN final_status TEXT;
        ALTER TABLE leases ADD COLUMN exit_code INTEGER;
        ALTER TABLE leases ADD COLUMN detail TEXT;
        CREATE TABLE outbox (
            id        INTEGER PRIMARY KEY AUTOINCREMENT,
            lease_id  TEXT NOT NULL,
            kind      TEXT NOT NULL,
            body      BLOB NOT NULL,
            created_at TEXT NOT NULL,
            sent_at   TEXT,
            outcome   TEXT
        );
        CREATE INDEX outbox_pending ON outbox(sent_at, id);
        """,
    ];

    private void Migrate()
    {
        using var c = Open();
        using (var wal = c.CreateCommand())
        {
            wal.CommandText = "PRAGMA journal_mode = WAL;";
            wal.ExecuteNonQuery();
        }
        using var tx = c.BeginTransaction();
        using var get = c.CreateCommand();
        get.CommandText = "PRAGMA user_version;";
        long version = (long)get.ExecuteScalar()!;
        for (long v = version; v < Migrations.Length; v++)
        {
            using var step = c.CreateCommand();
            step.CommandText = Migrations[v] + $"\nPRAGMA user_version = {v + 1};";
            step.ExecuteNonQuery();
        }
        tx.Commit();
    }
}

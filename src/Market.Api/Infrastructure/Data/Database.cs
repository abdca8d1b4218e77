using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Market.Api.Infrastructure.Data;

public enum DbDialect { Sqlite, Postgres }

/// <summary>
/// Opens connections to the market's database. SQLite (one file) is the embedded default;
/// a connection string in Npgsql's form ("Host=…") selects PostgreSQL. The SQL we write is the
/// common subset of both (BIGINT/TEXT columns, ON CONFLICT, RETURNING, @name parameters), so
/// repositories never branch on the dialect.
/// </summary>
public sealed class Database
{
    private readonly string _connectionString;

    public Database(string connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
            throw new ArgumentException("a database connection string is required", nameof(connectionString));
        Dialect = DetectDialect(connectionString);
        _connectionString = Dialect == DbDialect.Sqlite ? PrepareSqlite(connectionString) : connectionString;
    }

    public DbDialect Dialect { get; }

    public static DbDialect DetectDialect(string connectionString)
    {
        var s = connectionString.TrimStart();
        return s.StartsWith("Host=", StringComparison.OrdinalIgnoreCase)
            || s.StartsWith("Server=", StringComparison.OrdinalIgnoreCase)
            || s.StartsWith("postgres", StringComparison.OrdinalIgnoreCase)
            ? DbDialect.Postgres
            : DbDialect.Sqlite;
    }

    public async Task<DbConnection> OpenAsync(CancellationToken ct = default)
    {
        DbConnection c = Dialect == DbDialect.Sqlite
            ? new SqliteConnection(_connectionString)
            : new NpgsqlConnection(_connectionString);
        try
        {
            await c.OpenAsync(ct);
            if (Dialect == DbDialect.Sqlite) await ConfigureSqliteAsync(c, ct);
            return c;
        }
        catch
        {
            await c.DisposeAsync();
            throw;
        }
    }

    // Makes sure the data directory of an SQLite file exists and that pooling is on.
    private static string PrepareSqlite(string connectionString)
    {
        var b = new SqliteConnectionStringBuilder(connectionString) { Pooling = true };
        if (!connectionString.Contains("Default Timeout", StringComparison.OrdinalIgnoreCase)) b.DefaultTimeout = 30;
        if (b.DataSource is { Length: > 0 } path && path != ":memory:" && !path.StartsWith("file:", StringComparison.Ordinal))
        {
            var dir = Path.GetDirectoryName(Path.GetFullPath(path));
            if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        }
        return b.ToString();
    }

    // synchronous=NORMAL is durable across process crashes under WAL (journal_mode is persistent
    // and set once by EnableWalAsync). Busy writers need no PRAGMA: Microsoft.Data.Sqlite retries
    // SQLITE_BUSY itself until the command timeout.
    // The setting lives on the native connection, which the pool reuses: set it once per handle
    // rather than once per open (it was a round trip on every request).
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<object, object> Configured = new();

    private static async Task ConfigureSqliteAsync(DbConnection c, CancellationToken ct)
    {
        var handle = ((SqliteConnection)c).Handle;
        if (handle is not null && Configured.TryGetValue(handle, out _)) return;
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "PRAGMA synchronous=NORMAL;";
        await cmd.ExecuteNonQueryAsync(ct);
        if (handle is not null) Configured.AddOrUpdate(handle, Configured);
    }

    /// <summary>WAL lets readers run beside the single writer; the mode is stored in the file, so once is enough.</summary>
    public async Task EnableWalAsync(CancellationToken ct)
    {
        if (Dialect != DbDialect.Sqlite) return;
        await using var c = await OpenAsync(ct);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "PRAGMA journal_mode=WAL;";
        await cmd.ExecuteNonQueryAsync(ct);
    }
}

using System.Data.Common;
using System.Reflection;
using System.Text.RegularExpressions;
using Dapper;

namespace Market.Api.Infrastructure.Data;

/// <summary>
/// Applies the plain-SQL migrations embedded from Infrastructure/Migrations/NNNN_name.sql, in
/// order, each in its own transaction, recording them in schema_migrations. The same files run on
/// SQLite and PostgreSQL. Safe to run from several processes: a migration already recorded is
/// skipped, and a concurrent duplicate fails on the primary key and rolls back.
/// </summary>
public sealed partial class Migrator(Database db, ILogger<Migrator> log)
{
    public sealed record Migration(int Version, string Name, string Sql);

    public static IReadOnlyList<Migration> Embedded()
    {
        var asm = typeof(Migrator).Assembly;
        var list = new List<Migration>();
        foreach (var res in asm.GetManifestResourceNames())
        {
            var m = FileName().Match(res);
            if (!m.Success) continue;
            using var s = asm.GetManifestResourceStream(res)!;
            using var r = new StreamReader(s);
            list.Add(new Migration(int.Parse(m.Groups[1].Value), m.Groups[2].Value, r.ReadToEnd()));
        }
        list.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 1; i < list.Count; i++)
            if (list[i].Version == list[i - 1].Version)
                throw new InvalidOperationException($"two migrations have version {list[i].Version}");
        return list;
    }

    /// <returns>The versions applied by this call.</returns>
    public async Task<IReadOnlyList<int>> MigrateAsync(CancellationToken ct = default)
    {
        await db.EnableWalAsync(ct);
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version    BIGINT PRIMARY KEY,
                name       TEXT NOT NULL,
                applied_at BIGINT NOT NULL
            )
            """);
        var done = (await c.QueryAsync<long>("SELECT version FROM schema_migrations")).ToHashSet();
        var applied = new List<int>();
        foreach (var m in Embedded())
        {
            if (done.Contains(m.Version)) continue;
            await ApplyAsync(c, m, ct);
            applied.Add(m.Version);
            log.LogInformation("applied migration {Version} {Name}", m.Version, m.Name);
        }
        return applied;
    }

    private static async Task ApplyAsync(DbConnection c, Migration m, CancellationToken ct)
    {
        await using var tx = await c.BeginTransactionAsync(ct);
        // Statements are split on ';' at line ends: SQLite's ADO provider runs a whole batch, but
        // one statement per command gives clearer errors on both engines.
        foreach (var stmt in Statements(m.Sql))
            await c.ExecuteAsync(new CommandDefinition(stmt, transaction: tx, cancellationToken: ct));
        await c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@v, @n, @t)",
            new { v = (long)m.Version, n = m.Name, t = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() },
            tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
    }

    internal static IEnumerable<string> Statements(string sql)
    {
        var lines = sql.Replace("\r\n", "\n").Split('\n');
        var cur = new System.Text.StringBuilder();
        foreach (var raw in lines)
        {
            var line = raw.TrimEnd();
            if (line.TrimStart().StartsWith("--", StringComparison.Ordinal)) continue;
            cur.AppendLine(line);
            if (line.EndsWith(';'))
            {
                var s = cur.ToString().Trim().TrimEnd(';').Trim();
                if (s.Length > 0) yield return s;
                cur.Clear();
            }
        }
        var rest = cur.ToString().Trim();
        if (rest.Length > 0) yield return rest;
    }

    [GeneratedRegex(@"Migrations\.(\d{4})_([A-Za-z0-9_]+)\.sql$")]
    private static partial Regex FileName();
}

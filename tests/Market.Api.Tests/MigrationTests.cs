using Dapper;
using Market.Api.Infrastructure.Data;
using Market.Api.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace Market.Api.Tests;

[Collection(DatabaseCollection.Name)]
public sealed class MigrationTests(PostgresServer pg)
{
    [Theory]
    [MemberData(nameof(Databases.Dialects), MemberType = typeof(Databases))]
    public async Task Migrations_apply_once_and_are_idempotent(string dialect)
    {
        var db = new Database(await Databases.FreshAsync(dialect, pg));
        Assert.Equal(dialect == "sqlite" ? DbDialect.Sqlite : DbDialect.Postgres, db.Dialect);
        var migrator = new Migrator(db, NullLogger<Migrator>.Instance);

        var first = await migrator.MigrateAsync();
        Assert.Equal(Migrator.Embedded().Select(m => m.Version), first);
        Assert.Empty(await migrator.MigrateAsync());

        await using var c = await db.OpenAsync();
        Assert.Equal(first.Count, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM schema_migrations"));
        // The portable subset really is portable: upsert and RETURNING behave alike on both.
        await c.ExecuteAsync("INSERT INTO chain_cursors (name, block) VALUES ('t', 1) ON CONFLICT (name) DO UPDATE SET block = excluded.block");
        var block = await c.ExecuteScalarAsync<long>("INSERT INTO chain_cursors (name, block) VALUES ('t', 7) ON CONFLICT (name) DO UPDATE SET block = excluded.block RETURNING block");
        Assert.Equal(7, block);
    }

    [Theory]
    [MemberData(nameof(Databases.Dialects), MemberType = typeof(Databases))]
    public async Task Unique_constraints_hold_on_both_engines(string dialect)
    {
        var db = new Database(await Databases.FreshAsync(dialect, pg));
        await new Migrator(db, NullLogger<Migrator>.Instance).MigrateAsync();
        await using var c = await db.OpenAsync();
        const string insert = "INSERT INTO auth_challenges (nonce, address, message, issued_at, expires_at) VALUES ('n1', '0xa', 'm', 1, 2)";
        await c.ExecuteAsync(insert);
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => c.ExecuteAsync(insert));
    }

    [Fact]
    public void Statement_splitter_skips_comments_and_keeps_statements_whole()
    {
        var sql = "-- a comment; with a semicolon\nCREATE TABLE a (x BIGINT);\n\nCREATE INDEX i ON a (x);\n";
        Assert.Equal(["CREATE TABLE a (x BIGINT)", "CREATE INDEX i ON a (x)"], Migrator.Statements(sql).ToArray());
    }

    [Fact]
    public void Dialect_is_chosen_by_the_connection_string()
    {
        Assert.Equal(DbDialect.Postgres, Database.DetectDialect("Host=127.0.0.1;Port=5432"));
        Assert.Equal(DbDialect.Sqlite, Database.DetectDialect("Data Source=/tmp/x.db"));
        Assert.Throws<ArgumentException>(() => new Database(" "));
    }
}

using System.Data.Common;
using System.Text.Json;
using Dapper;
using Market.Api.Infrastructure.Data;
using Market.Matching.Engine;

namespace Market.Api.Application.Engine;

/// <summary>
/// The engine's command journal in the market database. Every command is written (in a batch
/// transaction) before the engine applies it; at start-up the journal is replayed in sequence
/// order, which rebuilds the exact book because the engine is deterministic.
/// </summary>
public sealed class EngineJournal(Database db)
{
    private static readonly JsonSerializerOptions Json = new() { IncludeFields = true };

    public static string Serialize(Command c) => JsonSerializer.Serialize(c, Json);
    public static Command Deserialize(string payload) => JsonSerializer.Deserialize<Command>(payload, Json);

    /// <summary>Engine commands waiting in the outbox (oldest first), with their origin keys.</summary>
    public async Task<List<(string Origin, Command Command)>> PeekOutboxAsync(int max, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<(string Origin, string Payload)>(new CommandDefinition(
            "SELECT origin, payload FROM engine_outbox ORDER BY created, origin LIMIT @max", new { max }, cancellationToken: ct));
        return rows.Select(r => (r.Origin, Deserialize(r.Payload))).ToList();
    }

    /// <summary>Journals the commands in the caller's transaction; those with an outbox origin leave the outbox in it too.</summary>
    public static async Task AppendAsync(DbConnection c, DbTransaction tx, IReadOnlyList<Command> commands, IReadOnlyList<string> outboxOrigins, CancellationToken ct)
    {
        if (outboxOrigins.Count > 0)
            await c.ExecuteAsync(new CommandDefinition("DELETE FROM engine_outbox WHERE origin = @o",
                outboxOrigins.Select(o => new { o }), tx, cancellationToken: ct));
        var rows = new List<object>(commands.Count);
        foreach (var cmd in commands)
            rows.Add(new { seq = cmd.Seq, kind = cmd.Kind.ToString(), payload = Serialize(cmd), at = cmd.Time });
        await c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO engine_journal (seq, kind, payload, at) VALUES (@seq, @kind, @payload, @at)", rows, tx, cancellationToken: ct));
    }

    /// <summary>Streams the journal in sequence order, in pages, so a long journal never sits in memory whole.</summary>
    public async IAsyncEnumerable<Command> ReadAllAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        long after = -1;
        while (true)
        {
            List<string> page;
            List<long> seqs;
            await using (var c = await db.OpenAsync(ct))
            {
                var rows = (await c.QueryAsync<(long Seq, string Payload)>(new CommandDefinition(
                    "SELECT seq, payload FROM engine_journal WHERE seq > @after ORDER BY seq LIMIT 5000", new { after }, cancellationToken: ct))).ToList();
                page = rows.ConvertAll(r => r.Payload);
                seqs = rows.ConvertAll(r => r.Seq);
            }
            if (page.Count == 0) yield break;
            foreach (var p in page) yield return Deserialize(p);
            after = seqs[^1];
        }
    }

    public async Task<long> LastSeqAsync(CancellationToken ct)
    {
        await using DbConnection c = await db.OpenAsync(ct);
        return await c.ExecuteScalarAsync<long?>(new CommandDefinition("SELECT MAX(seq) FROM engine_journal", cancellationToken: ct)) ?? 0;
    }
}

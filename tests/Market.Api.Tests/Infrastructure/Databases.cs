namespace Market.Api.Tests.Infrastructure;

/// <summary>One PostgreSQL server shared by every test class in the collection.</summary>
[CollectionDefinition(Name)]
public sealed class DatabaseCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "databases";
}

/// <summary>Gives a test a fresh, empty database of the dialect it names.</summary>
public static class Databases
{
    public static TheoryData<string> Dialects => new() { "sqlite", "postgres" };

    public static async Task<string> FreshAsync(string dialect, PostgresServer pg) => dialect switch
    {
        "sqlite" => MarketApiFactory.TempSqlite(),
        "postgres" => await pg.CreateDatabaseAsync(),
        _ => throw new ArgumentOutOfRangeException(nameof(dialect)),
    };
}

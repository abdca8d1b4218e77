using Market.Api.Infrastructure.Data;
using Microsoft.AspNetCore.Http.Json;

namespace Market.Api.Extensions;

public static class Extensions
{
    /// <summary>Every service registration of the market host lives here (Program.cs stays small).</summary>
    public static void AddMarketServices(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var config = builder.Configuration;

        services.AddSingleton(_ => new Database(ConnectionString(config)));
        services.AddSingleton<Migrator>();

        services.AddMediatorFrom(typeof(Extensions).Assembly);
        services.AddProblemDetails();
        services.AddOpenApi();
        services.Configure<JsonOptions>(o =>
        {
            // Unknown members are errors, not silently dropped: a client that misspells a field
            // of a signed request should hear about it.
            o.SerializerOptions.UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow;
        });
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = config.GetValue<long?>("Market:MaxBodyBytes") ?? 1_048_576);
    }

    /// <summary>
    /// ConnectionStrings:Market, or an SQLite file under Market:DataDir (default ./.data).
    /// </summary>
    public static string ConnectionString(IConfiguration config)
    {
        var cs = config.GetConnectionString("Market");
        if (!string.IsNullOrWhiteSpace(cs)) return cs;
        var dir = config["Market:DataDir"] ?? Path.Combine(Directory.GetCurrentDirectory(), ".data");
        return $"Data Source={Path.Combine(dir, "market.db")}";
    }

    public static async Task MigrateDatabaseAsync(this WebApplication app)
    {
        await app.Services.GetRequiredService<Migrator>().MigrateAsync(app.Lifetime.ApplicationStopping);
    }
}

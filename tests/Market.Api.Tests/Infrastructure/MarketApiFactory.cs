using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Market.Api.Tests.Infrastructure;

/// <summary>The real Market.Api host over a real database named by its connection string.</summary>
public sealed class MarketApiFactory(string connectionString) : WebApplicationFactory<Program>
{
    public ManualClock Clock { get; } = new();

    /// <summary>Extra configuration keys for this host (set before the first client is made).</summary>
    public Dictionary<string, string?> Settings { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Market", connectionString);
        foreach (var (k, v) in Settings) builder.UseSetting(k, v);
        builder.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(Clock));
    }

    public static string TempSqlite() =>
        $"Data Source={Path.Combine(Path.GetTempPath(), "market-test-" + Guid.NewGuid().ToString("N")[..12], "market.db")}";
}

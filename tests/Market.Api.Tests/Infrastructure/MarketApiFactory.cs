using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Market.Api.Tests.Infrastructure;

/// <summary>The real Market.Api host over a real database named by its connection string.</summary>
public sealed class MarketApiFactory(string connectionString) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Market", connectionString);
    }

    public static string TempSqlite() =>
        $"Data Source={Path.Combine(Path.GetTempPath(), "market-test-" + Guid.NewGuid().ToString("N")[..12], "market.db")}";
}

using Market.Api.Apis;
using Market.Api.Extensions;

// No watching of appsettings for changes: the watcher covers the content root recursively, where
// the SQLite file may live, and woke on every database write (a few % of the CPU under load).
var builder = WebApplication.CreateBuilder(["--hostBuilder:reloadConfigOnChange=false", .. args]);
builder.AddMarketServices();

var app = builder.Build();
app.UseMarketErrorHandling();
app.UseAuthentication();
app.UseRateLimiter();
app.UseRequestTimeouts();
app.UseAuthorization();
app.MapOpenApi();
app.MapHealthApi();
app.MapMetricsApi();
app.MapAuthApi();
app.MapJobsApi();
app.MapAgentApi();
app.MapMarketApi();
app.MapBillingApi();
app.MapDashboardApi();

await app.MigrateDatabaseAsync();
app.Run();

/// <summary>Entry point; public so WebApplicationFactory can host it in tests.</summary>
public partial class Program;

using System.Threading.RateLimiting;
using Market.Api.Application.Auth;
using Market.Api.Application.Engine;
using Market.Api.Application.Indexing;
using Market.Api.Application.Jobs;
using Market.Api.Application.Leases;
using Market.Api.Infrastructure.Chain;
using Market.Api.Infrastructure.Data;
using Market.Matching.Engine;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Json;

namespace Market.Api.Extensions;

public static class Extensions
{
    /// <summary>Every service registration of the market host lives here (Program.cs stays small).</summary>
    public static void AddMarketServices(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var config = builder.Configuration;

        services.AddSingleton(TimeProvider.System);
        services.Configure<AuthOptions>(config.GetSection("Market:Auth"));
        services.AddSingleton(_ => new Database(ConnectionString(config)));
        services.AddSingleton<Migrator>();
        services.Configure<ChainOptions>(config.GetSection("Market:Chain"));
        services.AddSingleton<ChainContext>();
        services.AddSingleton<ChainClock>();

        // The engine and everything around it: one writer, fed by the API and the chain indexer.
        services.AddSingleton(_ => new EngineConfig());
        services.AddSingleton<EngineJournal>();
        services.AddSingleton<EngineEventWriter>();
        services.AddSingleton<MatchedJobs>();
        services.AddSingleton<ConstraintNames>();
        services.AddSingleton<JobIds>();
        services.AddSingleton<PendingLocks>();
        services.AddSingleton<JobQueries>();
        services.AddSingleton<Market.Api.Application.MarketData.MarketQueries>();
        services.AddSingleton<OrphanBids>();
        services.AddSingleton<EngineHost>();
        services.AddHostedService(p => p.GetRequiredService<EngineHost>());
        services.AddSingleton<EventProjector>();
        services.AddSingleton<ChainIndexer>();
        services.AddHostedService(p => p.GetRequiredService<ChainIndexer>());
        services.AddSingleton<LeaseDispatcher>();
        services.AddSingleton<AgentReports>();
        services.AddSingleton<LeaseOpener>();
        services.AddHostedService(p => p.GetRequiredService<LeaseOpener>());
        // Billing: SLA verdicts and batched settlement with the SETTLER key (docs/billing.md).
        services.Configure<Market.Api.Application.Billing.BillingOptions>(config.GetSection("Market:Billing"));
        services.AddSingleton<Market.Api.Application.Billing.SqlSettlementStore>();
        services.AddSingleton<Market.Api.Application.Billing.LeaseFactsSource>();
        services.AddSingleton<Market.Api.Application.Billing.BillingQueries>();
        services.AddSingleton<Market.Api.Application.Billing.SettlementBatcher>();
        services.AddHostedService(p => p.GetRequiredService<Market.Api.Application.Billing.SettlementBatcher>());

        services.AddMediatorFrom(typeof(Extensions).Assembly);
        // Problems the framework writes itself (404 route misses, 405, 415) get a type and a detail too.
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
        {
            var status = ctx.ProblemDetails.Status ?? ctx.HttpContext.Response.StatusCode;
            ctx.ProblemDetails.Detail ??= ErrorHandling.DefaultDetail(status, ctx.HttpContext);
            if (ctx.ProblemDetails.Type is null || ctx.ProblemDetails.Type.StartsWith("https://tools.ietf.org", StringComparison.Ordinal))
                ctx.ProblemDetails.Type = ErrorHandling.TypeBase + ErrorHandling.DefaultCode(status);
        });
        // Binding failures (malformed JSON, wrong types, missing body) throw, so the error handler
        // answers them with the parser's own description of what is wrong.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddOpenApi();
        services.Configure<JsonOptions>(o =>
        {
            // Unknown members are errors, not silently dropped: a client that misspells a field
            // of a signed request should hear about it.
            o.SerializerOptions.UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow;
            // Numbers are numbers: "800" is not 800 (the web defaults would accept it).
            o.SerializerOptions.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict;
            o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter());
        });
        services.AddSingleton<KnownSessions>();
        services.AddAuthentication(TokenAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, TokenAuthenticationHandler>(TokenAuthenticationHandler.SchemeName, null);
        services.AddAuthorization();
        AddLimits(services, config);
        var maxBody = config.GetValue<long?>("Market:MaxBodyBytes") ?? 1_048_576;
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = maxBody);
        services.AddSingleton(new BodyLimit(maxBody));
    }

    /// <summary>
    /// Per-wallet rate limit (by signed-in address, else by client IP) and a default request
    /// timeout; long-poll endpoints opt into a longer one. Refusals are 429 problem details.
    /// </summary>
    private static void AddLimits(IServiceCollection services, IConfiguration config)
    {
        var perSecond = config.GetValue<int?>("Market:RateLimit:PerSecond") ?? 200;
        var burst = config.GetValue<int?>("Market:RateLimit:Burst") ?? perSecond * 2;
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(ctx =>
                RateLimitPartition.GetTokenBucketLimiter(
                    ctx.User.Identity?.IsAuthenticated == true ? "a:" + ctx.User.Identity.Name : "ip:" + ctx.Connection.RemoteIpAddress,
                    _ => new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = burst,
                        TokensPerPeriod = perSecond,
                        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                        QueueLimit = 0,
                        AutoReplenishment = true,
                    }));
            o.OnRejected = async (ctx, ct) =>
            {
                ctx.HttpContext.Response.ContentType = "application/problem+json";
                await ctx.HttpContext.Response.WriteAsJsonAsync(
                    ErrorHandling.Problem(429, "rate-limited", $"more than {perSecond} requests per second from this wallet or address"),
                    (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json", ct);
            };
        });
        services.AddRequestTimeouts(o =>
        {
            o.DefaultPolicy = new Microsoft.AspNetCore.Http.Timeouts.RequestTimeoutPolicy
            {
                Timeout = TimeSpan.FromSeconds(config.GetValue<int?>("Market:RequestTimeoutSeconds") ?? 30),
                TimeoutStatusCode = StatusCodes.Status504GatewayTimeout,
            };
            o.AddPolicy(LongPollPolicy, TimeSpan.FromSeconds(120));
        });
    }

    public const string LongPollPolicy = "long-poll";

    public sealed record BodyLimit(long Bytes);

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
        await app.Services.GetRequiredService<JobIds>().InitializeAsync(app.Lifetime.ApplicationStopping);
    }
}

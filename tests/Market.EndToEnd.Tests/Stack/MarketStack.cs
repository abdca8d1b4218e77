using System.Net.Http.Json;
using System.Text.Json;
using Market.Chain.Accounts;
using Market.Chain.Bids;
using Market.Chain.Contracts;
using Market.Chain.Crypto;
using Market.TestSupport;

namespace Market.EndToEnd.Tests.Stack;

/// <summary>
/// The whole market on this machine, every part a real process: a Hardhat node with our contracts
/// (3-s challenge window, 1 % fee), reached by every service through a <see cref="TcpProxy"/> so a
/// test can stage an RPC outage; Market.Api on SQLite (matcher #1, settler #2); three provider
/// agents (#4, #5, #6) measured on different CPU sets and priced 1, 1.5 and 2 tokens per NCU-hour,
/// running busybox jobs in runc; three consumers (#10, #11, #12) with 100 tokens in escrow each.
/// Shared by the whole collection: each test leaves every lease settled, so the books can be checked
/// after any of them.
/// </summary>
public sealed class MarketStack : IAsyncLifetime
{
    public static readonly EthKey Matcher = DevelopmentKeys.Key(1);
    public static readonly EthKey Settler = DevelopmentKeys.Key(2);
    public const long Deposit = 100_000_000;
    public const string Stake = "200000000";
    /// <summary>
    /// Short enough for the agent-kill drill; long enough for a verify-and-start on a loaded 2-core
    /// machine and for the market-kill drill's restart (billing counts the market's own downtime as
    /// the agents' silence, so a restart slower than this would breach healthy providers).
    /// </summary>
    public const ulong HeartbeatTimeoutSec = 30;

    public HardhatNode Chain { get; } = new();
    public TcpProxy Rpc { get; private set; } = null!;
    public MarketApiProcess Api { get; private set; } = null!;
    public string Dir { get; } = Directory.CreateTempSubdirectory("market-e2e-").FullName;
    public List<Provider> Providers { get; } = [];
    public EthKey[] Consumers { get; } = [DevelopmentKeys.Key(10), DevelopmentKeys.Key(11), DevelopmentKeys.Key(12)];
    /// <summary>What every account held once the stack was up (stakes and deposits made).</summary>
    public Holdings Baseline { get; private set; } = null!;

    public MarketContracts Read => new(Chain.Deployment, Chain.Client);

    public MarketContracts As(EthKey key) => Read.As(new TransactionSender(Chain.Client, key, Chain.Deployment.ChainId));

    public Consumer Wallet(EthKey key) => new(Api.BaseUrl, key, new BidSigner(Chain.Deployment.ChainId, Chain.Deployment.AddressOf("LeaseEscrow")));

    public async Task InitializeAsync()
    {
        Chain.DeployEnvironment["CHALLENGE_PERIOD"] = "3";
        Chain.DeployEnvironment["FEE_BPS"] = "100";
        await Chain.InitializeAsync();
        Rpc = new TcpProxy(Chain.Port);
        foreach (var c in Consumers)
        {
            var me = As(c);
            await me.Token.ApproveRequestAndWaitForReceiptAsync(me.Escrow.ContractAddress, Deposit);
            await me.Escrow.DepositRequestAndWaitForReceiptAsync(Deposit);
        }
        await StartApiAsync(port: null);
        // Honest, different capacities: each agent measures the CPU set it is pinned to (CI has 2 cores).
        int n = Environment.ProcessorCount;
        var sets = new[] { ("0", 1_000_000L), (n > 1 ? "1" : "0", 1_500_000L), ($"0-{n - 1}", 2_000_000L) };
        for (int i = 0; i < sets.Length; i++)
        {
            var p = new Provider(DevelopmentKeys.Key(4 + i), sets[i].Item1, sets[i].Item2, Dir);
            Providers.Add(p);
            await p.InitAsync(Api.BaseUrl, Rpc.Url, Chain.DeploymentFile); // one at a time: each benchmark has its CPUs to itself
        }
        await Task.WhenAll(Providers.Select(p => p.JoinAsync(Stake)));
        await Task.WhenAll(Providers.Select(p => p.StartAsync()));
        await WaitForLiveOffersAsync(Providers.Count);
        Baseline = await Holdings.ReadAsync(Read);
    }

    /// <summary>Starts Market.Api on the stack's database (again, after a kill: same directory, same port).</summary>
    public async Task StartApiAsync(int? port)
    {
        var env = new Dictionary<string, string>
        {
            ["Market__Chain__RpcUrl"] = Rpc.Url,
            ["Market__Chain__SettlerKey"] = Settler.PrivateKeyHex,
            ["Market__Billing__MaxWaitSeconds"] = "0.5",
            ["Market__Billing__PollSeconds"] = "0.3",
            ["Market__Billing__HeartbeatTimeoutSec"] = HeartbeatTimeoutSec.ToString(),
            ["Market__RateLimit__PerSecond"] = "10000",
        };
        Api = await MarketApiProcess.StartAsync(Chain, Dir, Matcher.PrivateKeyHex, env, requireLiveOffers: false, port: port);
    }

    public async Task WaitForLiveOffersAsync(int count)
    {
        using var http = Api.Client();
        await Wait.ForAsync(() => http.GetFromJsonAsync<JsonElement>("/health/ready"),
            r => r.TryGetProperty("liveOffers", out var live) && live.GetInt32() >= count, TimeSpan.FromSeconds(60), $"{count} live offers");
    }

    /// <summary>The tail of every process's output, for a failing test's report.</summary>
    public void Dump(Xunit.Abstractions.ITestOutputHelper output)
    {
        static string Tail(string s) => s.Length > 6_000 ? s[^6_000..] : s;
        output.WriteLine("--- market api ---\n" + Tail(Api.Output));
        foreach (var p in Providers) output.WriteLine($"--- agent {p.Key.Address} ---\n" + Tail(p.Daemon?.Output ?? ""));
    }

    /// <summary>Runs a test body; on failure the processes' output goes into the test's report.</summary>
    public async Task Reporting(Xunit.Abstractions.ITestOutputHelper output, Func<Task> body)
    {
        try { await body(); }
        catch
        {
            Dump(output);
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var p in Providers) await p.DisposeAsync();
        if (Api is not null) await Api.DisposeAsync();
        if (Rpc is not null) await Rpc.DisposeAsync();
        await Chain.DisposeAsync();
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { }
    }
}

[CollectionDefinition(Name)]
public sealed class StackCollection : ICollectionFixture<MarketStack>
{
    public const string Name = "market stack";
}

using System.Numerics;
using Market.Chain;
using Market.Chain.Contracts;
using Market.TestSupport;
using ProviderAgent.Config;
using ProviderAgent.Staking;
using ProviderAgent.Tests.Support;

namespace ProviderAgent.Tests.Staking;

/// <summary>
/// The provider's chain commands as a user runs them (the built `provider-agent` binary) against a
/// Hardhat node: init (imported key, quick benchmark) → register (stake by permit) + attest → offer
/// (split into graded slices) → status → unbond → withdraw after the unbonding period.
/// </summary>
public sealed class ProviderCliTests : IAsyncLifetime
{
    private readonly HardhatNode _chain = new();
    private readonly TempDir _dir = new();
    private static readonly Market.Chain.Crypto.EthKey Key = DevelopmentKeys.Key(5);
    private const string Passphrase = "correct horse battery staple";

    public Task InitializeAsync() => _chain.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _chain.DisposeAsync();
        _dir.Dispose();
    }

    private async Task<string> Cli(params string[] args)
    {
        var (exit, stdout, stderr) = await AgentCli.RunAsync(["--data-dir", _dir.File("agent"), "--passphrase-file", _dir.File("pass"), .. args]);
        Assert.True(exit == 0, $"provider-agent {string.Join(' ', args)} exited {exit}: {stdout}{stderr}");
        Assert.DoesNotContain(Passphrase, stdout + stderr);
        Assert.DoesNotContain(Key.PrivateKeyHex[2..], stdout + stderr, StringComparison.OrdinalIgnoreCase);
        return stdout;
    }

    /// <summary>`provider-agent run` as a process against the real market API: it signs in, gets ready, and stops cleanly on SIGTERM.</summary>
    private async Task RunDaemonBrieflyAsync(AgentConfig config)
    {
        await using var market = await MarketApiProcess.StartAsync(_chain, _dir.Path, DevelopmentKeys.Key(1).PrivateKeyHex);
        (config with { MarketUrl = market.BaseUrl }).Save(AgentConfig.PathIn(_dir.File("agent")));
        string tag = Guid.NewGuid().ToString("N")[..8];
        using var p = AgentCli.Start("--data-dir", _dir.File("agent"), "--passphrase-file", _dir.File("pass"), "run",
            "--runc-root", $"/run/compute-market-test-{tag}/runc", "--cgroup-parent", $"compute-market-test-{tag}");
        var lines = new System.Collections.Concurrent.ConcurrentQueue<string>();
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) lines.Enqueue(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lines.Enqueue(e.Data); };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        var until = DateTime.UtcNow.AddSeconds(30);
        while (!lines.Any(l => l.Contains("ready:")) && !p.HasExited && DateTime.UtcNow < until) await Task.Delay(100);
        Assert.True(lines.Any(l => l.Contains("ready:")), "the daemon never got ready: " + string.Join('\n', lines));
        Assert.Contains(lines, l => l.Contains("signed in"));
        using (var kill = System.Diagnostics.Process.Start("kill", ["-TERM", p.Id.ToString()])) await kill.WaitForExitAsync();
        await p.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, p.ExitCode);
        Assert.Contains(lines, l => l.Contains("stopped"));
        Assert.DoesNotContain(lines, l => l.Contains(Passphrase) || l.Contains(Key.PrivateKeyHex[2..], StringComparison.OrdinalIgnoreCase));
        try { Directory.Delete($"/run/compute-market-test-{tag}", recursive: true); } catch (DirectoryNotFoundException) { }
    }

    [Fact]
    public async Task Init_register_offer_status_unbond_withdraw()
    {
        await File.WriteAllTextAsync(_dir.File("pass"), Passphrase + "\n");
        await File.WriteAllTextAsync(_dir.File("import"), Key.PrivateKeyHex);
        var init = await Cli("init", "--import-key-file", _dir.File("import"), "--rpc-url", _chain.RpcUrl, "--deployment-file", _chain.DeploymentFile,
            "--bench-runs", "1", "--bench-seconds", "0.3", "--scrypt-n", "1024", "--region", "eu-west");
        Assert.Contains(Key.Address.ToString(), init);
        var config = AgentConfig.Load(AgentConfig.PathIn(_dir.File("agent")));
        Assert.True(config.MilliNcu > 0);
        Assert.Equal(66, config.AttestationHash.Length);
        Assert.DoesNotContain(Key.PrivateKeyHex[2..], await File.ReadAllTextAsync(_dir.File("agent/key.json")), StringComparison.OrdinalIgnoreCase);

        var register = await Cli("register");
        Assert.Contains("registered", register);
        var contracts = new MarketContracts(_chain.Deployment, _chain.Client);
        var provider = await contracts.Registry.GetProviderQueryAsync(Key.Address);
        Assert.Equal((byte)1, provider.Status);
        Assert.Equal(await contracts.Registry.MinStakeQueryAsync(), provider.Stake);
        Assert.Equal(config.MilliNcu, await contracts.Registry.CapacityOfQueryAsync(Key.Address, 0));
        Assert.Equal(config.AttestationHash, Hex.Encode(provider.AttestationHash));
        Assert.Contains("already registered", await Cli("register")); // idempotent; attests again

        ulong slice = Math.Max(1, (config.MilliNcu + 1) / 2);
        await Cli("offer", "--max-offer-mncu", slice.ToString());
        var status = await new ProviderChain(contracts).StatusAsync(Key.Address, default);
        Assert.Equal(config.MilliNcu, status.Offers.Aggregate(0UL, (s, o) => s + o.Offer.CapacityMilli));
        Assert.True(status.Offers.Count >= (config.MilliNcu > 1 ? 2 : 1));
        Assert.All(status.Offers, o => Assert.Equal((byte)ProviderAgent.Inventory.ComputeUnits.GradeOf(o.Offer.CapacityMilli), o.Offer.Grade));
        Assert.All(status.Offers, o => Assert.Equal(new BigInteger(2_000_000), o.Offer.PricePerNcuHour));
        Assert.Contains("nothing to offer", await Cli("offer"));
        var shown = await Cli("status");
        Assert.Contains("Active", shown);

        await RunDaemonBrieflyAsync(config);

        await Cli("unbond");
        Assert.Contains("unbonding until", await Cli("withdraw"));
        await _chain.IncreaseTimeAsync(604_801);
        var before = await contracts.Token.BalanceOfQueryAsync(Key.Address);
        Assert.Contains($"withdrew stake {provider.Stake}", await Cli("withdraw"));
        Assert.Equal(before + provider.Stake, await contracts.Token.BalanceOfQueryAsync(Key.Address));
        Assert.Equal((byte)0, await contracts.Registry.StatusOfQueryAsync(Key.Address));
    }
}

using System.Diagnostics;
using System.Numerics;
using System.Text;
using System.Text.Json.Nodes;
using Market.Chain;
using Market.Chain.Contracts;
using Market.Chain.Rpc;
using Xunit;

namespace Market.TestSupport;

/// <summary>
/// A throwaway Hardhat node on a free port with our contracts deployed by scripts/deploy.js. Use as
/// an xunit class/collection fixture (IAsyncLifetime) or via <see cref="StartAsync"/>. The node is
/// started as `node node_modules/.bin/hardhat node` (never npx, whose PID is not the node's) and
/// exactly that process is killed on dispose.
/// </summary>
public class HardhatNode : IAsyncLifetime, IAsyncDisposable
{
    private Process? _process;
    private readonly StringBuilder _output = new();
    private string? _deploymentFile;

    /// <summary>Whether <see cref="InitializeAsync"/> runs the deploy script.</summary>
    protected virtual bool DeployContracts => true;

    public int Port { get; private set; }
    public string RpcUrl => $"http://127.0.0.1:{Port}";
    public EthClient Client { get; private set; } = null!;
    public Deployment Deployment => _deployment ?? throw new InvalidOperationException("contracts not deployed");
    private Deployment? _deployment;

    /// <summary>The deployments JSON written for this node (what services read via configuration).</summary>
    public string DeploymentFile => _deploymentFile ?? throw new InvalidOperationException("contracts not deployed");

    /// <summary>Extra environment for scripts/deploy.js (e.g. CHALLENGE_PERIOD, FEE_BPS); set before deploying.</summary>
    public Dictionary<string, string> DeployEnvironment { get; } = new();

    /// <summary>Everything the node printed (for failure messages).</summary>
    public string Output { get { lock (_output) return _output.ToString(); } }

    public static async Task<HardhatNode> StartAsync(bool deploy = true)
    {
        var node = new HardhatNode();
        await node.StartNodeAsync();
        if (deploy) await node.DeployAsync();
        return node;
    }

    public async Task InitializeAsync()
    {
        await StartNodeAsync();
        if (DeployContracts) await DeployAsync();
    }

    private async Task StartNodeAsync()
    {
        Port = FreePort.Next();
        var psi = new ProcessStartInfo("node", ["node_modules/.bin/hardhat", "node", "--hostname", "127.0.0.1", "--port", Port.ToString()])
        {
            WorkingDirectory = RepoRoot.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = Process.Start(psi) ?? throw new InvalidOperationException("could not start node");
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        Client = new EthClient(new JsonRpcClient(new Uri(RpcUrl), null, RpcRetryPolicy.None));
        var started = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited) throw new InvalidOperationException($"hardhat node exited with {_process.ExitCode}:\n{Output}");
            try
            {
                await Client.ChainIdAsync();
                break;
            }
            catch (ChainException) when (started.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(100);
            }
        }
        Client = new EthClient(RpcUrl);
    }

    /// <summary>Runs scripts/deploy.js against this node and loads the deployment JSON it writes.</summary>
    public async Task<Deployment> DeployAsync()
    {
        _deploymentFile = Path.Combine(Path.GetTempPath(), $"deployment-{Port}-{Guid.NewGuid():N}.json");
        var psi = new ProcessStartInfo("node", ["node_modules/.bin/hardhat", "run", "scripts/deploy.js", "--network", "localhost", "--no-compile"])
        {
            WorkingDirectory = RepoRoot.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.Environment["RPC_URL"] = RpcUrl;
        psi.Environment["DEPLOYMENTS_OUT"] = _deploymentFile;
        foreach (var (k, v) in DeployEnvironment) psi.Environment[k] = v;
        using var deploy = Process.Start(psi)!;
        var stdout = deploy.StandardOutput.ReadToEndAsync();
        var stderr = deploy.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await deploy.WaitForExitAsync(timeout.Token);
        if (deploy.ExitCode != 0) throw new InvalidOperationException($"deploy.js failed ({deploy.ExitCode}):\n{await stdout}\n{await stderr}");
        _deployment = Deployment.Load(_deploymentFile);
        return _deployment;
    }

    /// <summary>Any JSON-RPC call on this node (hardhat_*, evm_*, eth_*).</summary>
    public Task<System.Text.Json.JsonElement> RpcAsync(string method, params JsonNode?[] args) => Client.Rpc.SendAsync(method, args);

    /// <summary>evm_increaseTime then evm_mine, so the next block's timestamp has moved.</summary>
    public async Task IncreaseTimeAsync(long seconds)
    {
        await Client.Rpc.SendAsync("evm_increaseTime", seconds);
        await MineAsync();
    }

    public Task MineAsync() => Client.Rpc.SendAsync("evm_mine");

    public Task SetNextBlockTimestampAsync(ulong unixSeconds) => Client.Rpc.SendAsync("evm_setNextBlockTimestamp", unixSeconds);

    /// <summary>evm_snapshot; pass the id to <see cref="RevertAsync"/> (each id can be reverted to once).</summary>
    public async Task<string> SnapshotAsync() => (await Client.Rpc.SendAsync("evm_snapshot")).GetString()!;

    public async Task<bool> RevertAsync(string snapshotId) => (await Client.Rpc.SendAsync("evm_revert", snapshotId)).GetBoolean();

    public async Task<ulong> LatestTimestampAsync() => (await Client.GetBlockByNumberAsync(BlockParameter.Latest))!.Timestamp;

    public async Task SetBalanceAsync(Address account, BigInteger wei) =>
        await Client.Rpc.SendAsync("hardhat_setBalance", account.ToLowerHex(), Hex.EncodeQuantity(wei));

    public async ValueTask DisposeAsync()
    {
        Client?.Dispose();
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: false);
            await _process.WaitForExitAsync();
        }
        _process?.Dispose();
        if (_deploymentFile is not null && File.Exists(_deploymentFile)) File.Delete(_deploymentFile);
        GC.SuppressFinalize(this);
    }

    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();
}

using System.Numerics;
using System.Text.Json;
using Market.Chain.Abi;

namespace Market.Chain.Contracts;

/// <summary>One deployed contract from a deployment file.</summary>
public sealed record DeployedContract(string Name, Address Address, ContractAbi Abi);

/// <summary>
/// deployments/&lt;network&gt;.json as scripts/deploy.js writes it:
/// { network, chainId, startBlock, contracts: { Name: { address, abi } }, roles, parameters }.
/// </summary>
public sealed record Deployment(string Network, BigInteger ChainId, ulong StartBlock, IReadOnlyDictionary<string, DeployedContract> Contracts, JsonElement Roles, JsonElement Parameters)
{
    public static Deployment Load(string path)
    {
        if (!File.Exists(path)) throw new ChainException($"deployment file {path} does not exist (run scripts/deploy.js)");
        return Parse(File.ReadAllText(path));
    }

    public static Deployment Parse(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            var contracts = new Dictionary<string, DeployedContract>(StringComparer.Ordinal);
            foreach (var c in root.GetProperty("contracts").EnumerateObject())
            {
                var address = Address.Parse(c.Value.GetProperty("address").GetString()!.ToLowerInvariant());
                var abi = c.Value.TryGetProperty("abi", out var a) ? ContractAbi.FromJson(a) : new ContractAbi([], [], []);
                contracts[c.Name] = new DeployedContract(c.Name, address, abi);
            }
            return new Deployment(
                root.TryGetProperty("network", out var n) ? n.GetString() ?? "" : "",
                Number(root.GetProperty("chainId")),
                root.TryGetProperty("startBlock", out var s) ? (ulong)Number(s) : 0,
                contracts,
                root.TryGetProperty("roles", out var r) ? r.Clone() : default,
                root.TryGetProperty("parameters", out var p) ? p.Clone() : default);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new ChainException($"malformed deployment file: {ex.Message}", ex);
        }
    }

    public Address AddressOf(string contractName) =>
        Contracts.TryGetValue(contractName, out var c) ? c.Address : throw new ChainException($"deployment has no contract '{contractName}'");

    private static BigInteger Number(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Number => BigInteger.Parse(e.GetRawText(), System.Globalization.CultureInfo.InvariantCulture),
        JsonValueKind.String => AbiValues.ToBigInteger(e.GetString()),
        _ => throw new ChainException($"expected a number, got {e.ValueKind}"),
    };
}

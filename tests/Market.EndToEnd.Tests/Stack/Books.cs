using System.Numerics;
using System.Text.Json;
using Market.Chain;
using Market.Chain.Contracts;
using Market.TestSupport;

namespace Market.EndToEnd.Tests.Stack;

/// <summary>What every development account holds, in token base units: wallet, escrow balance, stake.</summary>
public sealed record Holdings(IReadOnlyDictionary<Address, (BigInteger Wallet, BigInteger Escrow, BigInteger Stake)> Accounts,
    BigInteger EscrowContract, BigInteger RegistryContract)
{
    public BigInteger Total => Accounts.Values.Aggregate(BigInteger.Zero, (s, a) => s + a.Wallet + a.Escrow + a.Stake);

    public static async Task<Holdings> ReadAsync(MarketContracts c)
    {
        var accounts = new Dictionary<Address, (BigInteger, BigInteger, BigInteger)>();
        for (int i = 0; i < DevelopmentKeys.PrivateKeys.Count; i++)
        {
            var a = DevelopmentKeys.AddressOf(i);
            accounts[a] = (await c.Token.BalanceOfQueryAsync(a), await c.Escrow.BalanceOfQueryAsync(a), await c.Registry.StakeOfQueryAsync(a));
        }
        return new Holdings(accounts, await c.Token.BalanceOfQueryAsync(c.Escrow.ContractAddress), await c.Token.BalanceOfQueryAsync(c.Registry.ContractAddress));
    }
}

/// <summary>The statement totals the market reports for one account (decimal strings in the JSON, exact integers here).</summary>
public sealed record Totals(int Leases, BigInteger Paid, BigInteger Refunded, BigInteger Earned, BigInteger PenaltiesReceived, BigInteger PenaltiesPaid, BigInteger Fees)
{
    public static Totals Of(JsonElement statement, string role)
    {
        var t = statement.GetProperty(role);
        BigInteger N(string name) => BigInteger.Parse(t.GetProperty(name).ToString());
        return new Totals(t.GetProperty("leases").GetInt32(), N("paid"), N("refunded"), N("earned"), N("penaltiesReceived"), N("penaltiesPaid"), N("fees"));
    }
}

using System.Numerics;
using Market.TestSupport;

namespace Market.EndToEnd.Tests.Stack;

/// <summary>
/// Once every lease is final: the chain's balances equal what the market's statements say, to the
/// base unit, and no token was created or lost since the stack came up.
/// </summary>
public static class BooksCheck
{
    public static async Task AssertBalancedAsync(this MarketStack stack)
    {
        var now = await Holdings.ReadAsync(stack.Read);
        var before = stack.Baseline;
        // Conservation: what the 20 development accounts hold in wallets, escrow and stakes is constant,
        // and the contracts hold exactly the escrow balances and stakes (no lock left behind).
        Assert.Equal(before.Total, now.Total);
        Assert.Equal(now.Accounts.Values.Aggregate(BigInteger.Zero, (s, a) => s + a.Escrow), now.EscrowContract);
        Assert.Equal(now.Accounts.Values.Aggregate(BigInteger.Zero, (s, a) => s + a.Stake), now.RegistryContract);

        BigInteger fees = 0;
        foreach (var key in stack.Consumers)
        {
            var statement = await (await stack.Wallet(key).SignInAsync()).StatementAsync();
            Assert.All(statement.GetProperty("lines").EnumerateArray(), l => Assert.Equal("settled", l.GetProperty("state").GetString()));
            var t = Totals.Of(statement, "asConsumer");
            fees += t.Fees;
            var (b, n) = (before.Accounts[key.Address], now.Accounts[key.Address]);
            Assert.Equal(b.Wallet, n.Wallet);
            Assert.Equal(b.Escrow - t.Paid + t.PenaltiesReceived, n.Escrow);
        }
        foreach (var p in stack.Providers)
        {
            var statement = await (await stack.Wallet(p.Key).SignInAsync()).StatementAsync();
            Assert.All(statement.GetProperty("lines").EnumerateArray(), l => Assert.Equal("settled", l.GetProperty("state").GetString()));
            var t = Totals.Of(statement, "asProvider");
            var (b, n) = (before.Accounts[p.Key.Address], now.Accounts[p.Key.Address]);
            Assert.Equal(b.Escrow + t.Earned, n.Escrow);
            Assert.Equal(b.Stake - t.PenaltiesPaid, n.Stake);
        }
        var feeRecipient = DevelopmentKeys.AddressOf(0); // scripts/deploy.js on a local chain
        Assert.Equal(before.Accounts[feeRecipient].Escrow + fees, now.Accounts[feeRecipient].Escrow);
    }
}

using System.Numerics;
using Market.Chain.Accounts;
using Market.Chain.Contracts;
using Market.Chain.Contracts.LeaseEscrow.ContractDefinition;
using Market.Chain.Contracts.TestStablecoin.ContractDefinition;
using Market.Chain.Rpc;
using Market.TestSupport;

namespace Market.Chain.Tests.Integration;

public class RevertAndTailTests(HardhatNode node) : IClassFixture<HardhatNode>
{
    [Fact]
    public async Task A_sent_revert_is_typed_and_the_nonce_resyncs()
    {
        var sender = await TransactionSender.CreateAsync(node.Client, DevelopmentKeys.Key(7));
        var market = new MarketContracts(node.Deployment, node.Client, sender);
        var before = await node.Client.GetTransactionCountAsync(sender.Address, BlockParameter.Pending);
        // A fixed gas limit skips estimation: the node mines the reverting transaction and answers with the revert.
        var ex = await Assert.ThrowsAnyAsync<ChainException>(() => market.Escrow.WithdrawRequestAndWaitForReceiptAsync(new WithdrawFunction { Amount = 5, Gas = 200_000 }));
        var revert = ex as LeaseEscrowInsufficientBalanceException ?? (ex as TransactionFailedException)?.Revert as LeaseEscrowInsufficientBalanceException;
        Assert.NotNull(revert);
        Assert.Equal(BigInteger.Zero, revert!.Available);
        Assert.Equal(new BigInteger(5), revert.Required);
        // Whatever the node did with that nonce, the next sends line up behind it.
        await market.Token.TransferRequestAndWaitForReceiptAsync(DevelopmentKeys.AddressOf(8), 1);
        await market.Token.TransferRequestAndWaitForReceiptAsync(DevelopmentKeys.AddressOf(8), 1);
        var after = await node.Client.GetTransactionCountAsync(sender.Address, BlockParameter.Latest);
        Assert.InRange(after - before, 2, 3);
    }

    [Fact]
    public async Task Log_tailer_returns_each_log_once()
    {
        var sender = await TransactionSender.CreateAsync(node.Client, DevelopmentKeys.Key(9));
        var market = new MarketContracts(node.Deployment, node.Client, sender);
        var tail = market.Token.TailEvents(await node.Client.BlockNumberAsync() + 1);
        Assert.Empty(await tail.PollAsync());
        await market.Token.TransferRequestAndWaitForReceiptAsync(DevelopmentKeys.AddressOf(10), 3);
        await market.Token.TransferRequestAndWaitForReceiptAsync(DevelopmentKeys.AddressOf(11), 4);
        var first = EventDecoding.DecodeAll<TransferEventDTO>(await tail.PollAsync());
        Assert.Equal([3, 4], first.Select(e => (int)e.Event.Value));
        Assert.Empty(await tail.PollAsync());
        await market.Token.TransferRequestAndWaitForReceiptAsync(DevelopmentKeys.AddressOf(12), 5);
        var second = EventDecoding.DecodeAll<TransferEventDTO>(await tail.PollAsync());
        Assert.Equal(DevelopmentKeys.AddressOf(12), Assert.Single(second).Event.To);
    }
}

using System.Numerics;
using Market.Chain.Accounts;
using Market.Chain.Bids;
using Market.Chain.Contracts;
using Market.Chain.Contracts.Common;
using Market.Chain.Contracts.LeaseEscrow.ContractDefinition;
using Market.Chain.Contracts.OfferBook.ContractDefinition;
using Market.Chain.Rpc;
using Market.TestSupport;

namespace Market.Chain.Tests.Integration;

/// <summary>
/// The whole money path on a real Hardhat node through the generated bindings: register → attest →
/// offer → deposit → openLease with a C#-signed Bid → proposeSettlement → time travel → finalize →
/// withdraw, with events read back and custom-error reverts decoded into typed exceptions.
/// </summary>
public class MarketFlowTests(HardhatNode node) : IClassFixture<HardhatNode>
{
    private const byte Parallel = 1;
    private const int Provider = 4, Consumer = 5;

    private async Task<MarketContracts> As(int devAccount) =>
        new(node.Deployment, node.Client, await TransactionSender.CreateAsync(node.Client, DevelopmentKeys.Key(devAccount)));

    [Fact]
    public async Task Full_lease_lifecycle_through_typed_bindings()
    {
        var d = node.Deployment;
        var provider = await As(Provider);
        var consumer = await As(Consumer);
        var matcher = await As(1);
        var settler = await As(2);
        var minStake = await provider.Registry.MinStakeQueryAsync();
        var token = provider.Token;
        var providerStart = await token.BalanceOfQueryAsync(DevelopmentKeys.AddressOf(Provider));
        var consumerStart = await token.BalanceOfQueryAsync(DevelopmentKeys.AddressOf(Consumer));

        // Provider: stake, register, attest, post an offer.
        await provider.Token.ApproveRequestAndWaitForReceiptAsync(provider.Registry.ContractAddress, minStake);
        var reg = await provider.Registry.RegisterRequestAndWaitForReceiptAsync("ipfs://provider-4", new byte[32], minStake);
        var registered = EventDecoding.DecodeSingle<Contracts.ProviderRegistry.ContractDefinition.ProviderRegisteredEventDTO>(reg);
        Assert.Equal(DevelopmentKeys.AddressOf(Provider), registered.Provider);
        Assert.Equal(minStake, registered.Stake);
        await provider.Registry.AttestCapacityRequestAndWaitForReceiptAsync(Parallel, 8_000, Crypto.Keccak256.Hash("bench"));
        var now = await node.LatestTimestampAsync();
        var offerReceipt = await provider.OfferBook.PostOfferRequestAndWaitForReceiptAsync(
            Parallel, 3, 8_000, 1_000_000, 7_200, 9_900, 500, Crypto.Keccak256.Hash("eu-west"), new byte[32], now + 86_400);
        var offer = EventDecoding.DecodeSingle<OfferPostedEventDTO>(offerReceipt);
        Assert.Equal(8_000UL, offer.CapacityMilli);
        var stored = await provider.OfferBook.GetOfferQueryAsync(offer.OfferId);
        Assert.Equal(DevelopmentKeys.AddressOf(Provider), stored.Provider);
        Assert.True(stored.Active);

        // Consumer: deposit, sign a bid.
        BigInteger deposit = 10_000_000;
        await consumer.Token.ApproveRequestAndWaitForReceiptAsync(consumer.Escrow.ContractAddress, deposit);
        await consumer.Escrow.DepositRequestAndWaitForReceiptAsync(deposit);
        Assert.Equal(deposit, await consumer.Escrow.BalanceOfQueryAsync(DevelopmentKeys.AddressOf(Consumer)));
        var bid = new Bid
        {
            Consumer = DevelopmentKeys.AddressOf(Consumer),
            JobSpecHash = JobSpecHash.Compute("""{"image":"busybox","cmd":["sh","-c","echo hi"],"grade":3}"""),
            ComputeType = Parallel, Grade = 3, MilliNcu = 4_000, MaxPricePerNcuHour = 2_000_000, MaxDurationSec = 3_600,
            MinUptimeBps = 9_000, Nonce = 1, Deadline = now + 3_600,
        };
        var signature = consumer.Bids.Sign(bid, DevelopmentKeys.Key(Consumer)).ToBytes();
        // The contract's own EIP-712 digest equals ours.
        Assert.Equal(consumer.Bids.Hash(bid), await consumer.Escrow.HashBidQueryAsync(bid));
        Assert.Equal(consumer.Bids.Domain.Separator(), await consumer.Escrow.DomainSeparatorQueryAsync());

        // Only MATCHER may open: a typed revert through eth_call from the consumer.
        var denied = await Assert.ThrowsAsync<AccessControlUnauthorizedAccountException>(() => consumer.Escrow.OpenLeaseQueryAsync(bid, signature, offer.OfferId, 1_500_000));
        Assert.Equal(DevelopmentKeys.AddressOf(Consumer), denied.Account);

        var opened = await matcher.Escrow.OpenLeaseRequestAndWaitForReceiptAsync(bid, signature, offer.OfferId, 1_500_000);
        var lease = EventDecoding.DecodeSingle<LeaseOpenedEventDTO>(opened, d.AddressOf("LeaseEscrow"));
        Assert.Equal(bid.Consumer, lease.Consumer);
        Assert.Equal(DevelopmentKeys.AddressOf(Provider), lease.Provider);
        Assert.Equal(bid.JobSpecHash, lease.JobSpecHash);
        BigInteger lockAmount = (4_000 * 3_600 * (BigInteger)1_500_000 + 3_599_999) / 3_600_000;
        Assert.Equal(lockAmount, lease.LockAmount);

        // The same bid again: nonce used, decoded into its typed exception before anything is sent.
        var reused = await Assert.ThrowsAsync<LeaseEscrowNonceUsedException>(() => matcher.Escrow.OpenLeaseRequestAsync(bid, signature, offer.OfferId, 1_500_000));
        Assert.Equal(bid.Consumer, reused.Consumer);
        Assert.Equal(bid.Nonce, reused.Nonce);
        Assert.Equal("LeaseEscrowNonceUsed", reused.ErrorName);

        // Ten minutes of work, then settlement.
        await node.IncreaseTimeAsync(600);
        var usage = (UInt128)(4_000 * 600);
        var entries = SettlementEntry.PackAll([new SettlementEntry((ulong)lease.LeaseId, usage, Verdict.Met)]);
        Assert.Equal(entries[0], await settler.Escrow.PackSettlementEntryQueryAsync((ulong)lease.LeaseId, (BigInteger)usage, 0));
        var proposed = await settler.Escrow.ProposeSettlementRequestAndWaitForReceiptAsync(entries);
        var batch = EventDecoding.DecodeSingle<SettlementProposedEventDTO>(proposed);
        Assert.Equal(entries, batch.Entries);

        var early = await Assert.ThrowsAsync<LeaseEscrowChallengeWindowOpenException>(() => settler.Escrow.FinalizeRequestAsync(batch.BatchId, entries));
        Assert.Equal(batch.WindowEnd, early.WindowEnd);
        var challenge = await settler.Escrow.ChallengePeriodQueryAsync();
        await node.IncreaseTimeAsync((long)challenge + 1);
        var finalized = await settler.Escrow.FinalizeRequestAndWaitForReceiptAsync(batch.BatchId, entries);
        var settled = EventDecoding.DecodeSingle<BatchFinalizedEventDTO>(finalized);
        BigInteger charge = (BigInteger)usage * 1_500_000 / 3_600_000;
        Assert.Equal(batch.BatchId, settled.BatchId);
        Assert.Equal(BigInteger.One, settled.Settled);
        Assert.Equal(charge, settled.TotalCharge);

        // Pull payments.
        var providerCredit = await provider.Escrow.BalanceOfQueryAsync(DevelopmentKeys.AddressOf(Provider));
        var feeBps = await provider.Escrow.FeeBpsQueryAsync();
        Assert.Equal(charge - charge * feeBps / 10_000, providerCredit);
        await provider.Escrow.WithdrawRequestAndWaitForReceiptAsync(providerCredit);
        await consumer.Escrow.WithdrawRequestAndWaitForReceiptAsync(deposit - charge);
        Assert.Equal(providerStart - minStake + providerCredit, await token.BalanceOfQueryAsync(DevelopmentKeys.AddressOf(Provider)));
        Assert.Equal(consumerStart - charge, await token.BalanceOfQueryAsync(DevelopmentKeys.AddressOf(Consumer)));

        // Tail events from the deployment's start block.
        var openedLogs = await consumer.Escrow.GetLeaseOpenedEventsAsync(d.StartBlock);
        Assert.Contains(openedLogs, e => e.Event.LeaseId == lease.LeaseId && e.Log.TransactionHash == opened.TransactionHash);
        var withdrawn = await consumer.Escrow.GetWithdrawnEventsAsync(d.StartBlock);
        Assert.Equal(2, withdrawn.Count(w => w.Event.Account == DevelopmentKeys.AddressOf(Provider) || w.Event.Account == DevelopmentKeys.AddressOf(Consumer)));
    }

    [Fact]
    public async Task Nonce_manager_sends_concurrently_without_gaps_and_recovers_after_a_failed_send()
    {
        var sender = await TransactionSender.CreateAsync(node.Client, DevelopmentKeys.Key(6));
        var contracts = new MarketContracts(node.Deployment, node.Client, sender);
        var start = await node.Client.GetTransactionCountAsync(sender.Address, BlockParameter.Pending);
        var recipients = Enumerable.Range(0, 24).Select(i => new Address(Crypto.Keccak256.Hash($"recipient {i}").AsSpan(12))).ToList();

        var sends = recipients.Select(async (to, i) =>
        {
            if (i == 12)
            {
                // A send the node rejects (gas below the intrinsic 21000): no nonce may be consumed.
                var failing = new TransactionRequest { To = to, GasLimit = 1_000 };
                await Assert.ThrowsAnyAsync<ChainException>(() => sender.SendAsync(failing));
            }
            return await contracts.Token.TransferRequestAndWaitForReceiptAsync(to, 1 + i);
        }).ToList();
        var receipts = await Task.WhenAll(sends);

        Assert.All(receipts, r => Assert.True(r.Succeeded));
        Assert.Equal(receipts.Length, receipts.Select(r => r.TransactionHash).Distinct().Count());
        Assert.Equal(start + recipients.Count, await node.Client.GetTransactionCountAsync(sender.Address, BlockParameter.Latest));
        for (int i = 0; i < recipients.Count; i++)
            Assert.Equal(1 + i, (int)await contracts.Token.BalanceOfQueryAsync(recipients[i]));
    }

    [Fact]
    public async Task Chain_queries_answer()
    {
        var c = node.Client;
        Assert.Equal(31337, (int)await c.ChainIdAsync());
        var head = await c.BlockNumberAsync();
        var block = await c.GetBlockByNumberAsync(BlockParameter.AtNumber(head));
        Assert.NotNull(block);
        Assert.Equal(head, block!.Number);
        Assert.True(await c.GetBalanceAsync(DevelopmentKeys.AddressOf(19)) > 0);
        var fees = await c.SuggestFeesAsync();
        Assert.True(fees.MaxFeePerGas >= fees.MaxPriorityFeePerGas);
        var history = await c.FeeHistoryAsync(4, BlockParameter.Latest, [25, 75]);
        Assert.Equal(history.GasUsedRatio.Count + 1, history.BaseFeePerGas.Count);
        Assert.NotEmpty(await c.GetCodeAsync(node.Deployment.AddressOf("LeaseEscrow")));
        Assert.Null(await c.GetTransactionReceiptAsync("0x" + new string('1', 64)));
        await Assert.ThrowsAsync<TransactionTimeoutException>(() => c.WaitForReceiptAsync("0x" + new string('2', 64), TimeSpan.FromMilliseconds(200)));
    }
}

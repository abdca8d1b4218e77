using System.Numerics;
using Market.Chain;
using Market.Chain.Contracts;
using Market.Chain.Contracts.LeaseEscrow.ContractDefinition;
using Market.Chain.Contracts.OfferBook.ContractDefinition;
using Market.Chain.Eip712;
using Market.Chain.Rpc;
using ProviderAgent.Config;
using ProviderAgent.Offers;

namespace ProviderAgent.Staking;

/// <summary>What `status` shows about the provider on chain.</summary>
public sealed record ProviderStatus(Address Address, byte Status, BigInteger Stake, ulong UnbondAt, ulong AttestedLogical, BigInteger Committed,
    IReadOnlyList<(BigInteger Id, Offer Offer)> Offers, IReadOnlyList<(BigInteger Id, byte State)> OpenLeases, BigInteger EscrowBalance, BigInteger TokenBalance)
{
    public string StatusName => Status switch { 0 => "None", 1 => "Active", 2 => "Unbonding", 3 => "Jailed", _ => $"#{Status}" };
}

/// <summary>
/// The provider's on-chain life through the typed bindings: register with a stake (EIP-2612 permit,
/// or approve + register when the token has no permit), attest measured capacity, post planned
/// offers, read status, unbond and withdraw (stake after unbonding, and escrow earnings).
/// </summary>
public sealed class ProviderChain(MarketContracts c)
{
    private Address Me => c.Escrow.Sender?.Address ?? throw new InvalidOperationException("no key given");

    public async Task<ulong> ChainNowAsync(CancellationToken ct) => (await c.Escrow.Client.GetBlockByNumberAsync(BlockParameter.Latest, ct))!.Timestamp;

    /// <summary>Registers with <paramref name="stake"/> (default minStake); false when already registered.</summary>
    public async Task<bool> RegisterAsync(string metadataUri, byte[] attestationHash, BigInteger? stake, bool usePermit, CancellationToken ct)
    {
        if (await c.Registry.StatusOfQueryAsync(Me, ct: ct) != 0) return false;
        var amount = stake ?? await c.Registry.MinStakeQueryAsync(ct: ct);
        if (usePermit)
        {
            var deadline = await ChainNowAsync(ct) + 3_600;
            var sig = await SignPermitAsync(c.Registry.ContractAddress, amount, deadline, ct);
            await c.Registry.RegisterWithPermitRequestAndWaitForReceiptAsync(metadataUri, attestationHash, amount, deadline, (byte)sig.V, sig.R, sig.S, ct);
        }
        else
        {
            await c.Token.ApproveRequestAndWaitForReceiptAsync(c.Registry.ContractAddress, amount, ct);
            await c.Registry.RegisterRequestAndWaitForReceiptAsync(metadataUri, attestationHash, amount, ct);
        }
        return true;
    }

    /// <summary>EIP-2612 Permit(owner, spender, value, nonce, deadline) in the token's own EIP-712 domain.</summary>
    private async Task<Market.Chain.Crypto.EthSignature> SignPermitAsync(Address spender, BigInteger value, ulong deadline, CancellationToken ct)
    {
        var domain = await c.Token.Eip712DomainQueryAsync(ct: ct);
        var nonce = await c.Token.NoncesQueryAsync(Me, ct: ct);
        var data = new TypedData(
            new Eip712Domain { Name = domain.Name, Version = domain.Version, ChainId = domain.ChainId, VerifyingContract = domain.VerifyingContract },
            new Dictionary<string, IReadOnlyList<TypedDataField>>
            {
                ["Permit"] = [new("owner", "address"), new("spender", "address"), new("value", "uint256"), new("nonce", "uint256"), new("deadline", "uint256")],
            },
            "Permit",
            new Dictionary<string, object?> { ["owner"] = Me, ["spender"] = spender, ["value"] = value, ["nonce"] = nonce, ["deadline"] = new BigInteger(deadline) });
        return Eip712Signer.SignTypedData(data, c.Escrow.Sender!.Key);
    }

    public Task AttestAsync(ulong milliNcu, byte[] attestationHash, CancellationToken ct) =>
        c.Registry.AttestCapacityRequestAndWaitForReceiptAsync(0, milliNcu, attestationHash, ct);

    /// <summary>Attested Logical capacity not yet committed to live offers.</summary>
    public async Task<ulong> FreeToOfferAsync(CancellationToken ct)
    {
        var attested = await c.Registry.CapacityOfQueryAsync(Me, 0, ct: ct);
        var committed = await c.OfferBook.CommittedOfQueryAsync(Me, 0, ct: ct);
        return committed >= attested ? 0 : attested - (ulong)committed;
    }

    public async Task<IReadOnlyList<BigInteger>> PostOffersAsync(IReadOnlyList<PlannedOffer> plan, AgentConfig config, CancellationToken ct)
    {
        var region = new byte[32];
        var name = System.Text.Encoding.UTF8.GetBytes(config.Regions.FirstOrDefault() ?? "");
        name.AsSpan(0, Math.Min(31, name.Length)).CopyTo(region);
        var attributes = Market.Chain.Bids.JobSpecHash.Compute(System.Text.Json.JsonSerializer.Serialize(new
        {
            regions = config.Regions, memoryMb = config.MemoryMb.ToString(), allowNetwork = config.AllowNetwork, pricing = config.Pricing.Strategy.ToString(),
        }));
        ulong expires = await ChainNowAsync(ct) + 30UL * 24 * 3600;
        var ids = new List<BigInteger>();
        foreach (var o in plan)
        {
            var receipt = await c.OfferBook.PostOfferRequestAndWaitForReceiptAsync(0, (byte)o.Grade, o.CapacityMilli, o.PricePerNcuHour,
                config.MaxLeaseSec, config.UptimeBps, config.PenaltyBps, region, attributes, expires, ct);
            ids.Add(EventDecoding.DecodeSingle<OfferPostedEventDTO>(receipt).OfferId);
        }
        return ids;
    }

    public async Task<ProviderStatus> StatusAsync(Address provider, CancellationToken ct)
    {
        var p = await c.Registry.GetProviderQueryAsync(provider, ct: ct);
        var attested = await c.Registry.CapacityOfQueryAsync(provider, 0, ct: ct);
        var committed = await c.OfferBook.CommittedOfQueryAsync(provider, 0, ct: ct);
        var topic = new byte[32];
        provider.ToArray().CopyTo(topic, 12);
        var offers = new List<(BigInteger, Offer)>();
        foreach (var e in await c.OfferBook.GetEventsAsync<OfferPostedEventDTO>(c.Deployment.StartBlock, null, [null, new[] { topic }], ct))
            offers.Add((e.Event.OfferId, await c.OfferBook.GetOfferQueryAsync(e.Event.OfferId, ct: ct)));
        var leases = new List<(BigInteger, byte)>();
        foreach (var e in await c.Escrow.GetEventsAsync<LeaseOpenedEventDTO>(c.Deployment.StartBlock, null, [null, null, new[] { topic }], ct))
        {
            var state = await c.Escrow.LeaseStateOfQueryAsync(e.Event.LeaseId, ct: ct);
            if (state is 1 or 2 or 3 or 4) leases.Add((e.Event.LeaseId, state));
        }
        return new ProviderStatus(provider, p.Status, p.Stake, p.UnbondAt, attested, committed, offers, leases,
            await c.Escrow.BalanceOfQueryAsync(provider, ct: ct), await c.Token.BalanceOfQueryAsync(provider, ct: ct));
    }

    public Task RequestUnbondAsync(CancellationToken ct) => c.Registry.RequestUnbondRequestAndWaitForReceiptAsync(ct);

    /// <summary>Withdraws what can be withdrawn now: the stake once unbonded, and the escrow balance (earnings).</summary>
    public async Task<(BigInteger Stake, BigInteger Earnings, string? StakeNote)> WithdrawAsync(CancellationToken ct)
    {
        var p = await c.Registry.GetProviderQueryAsync(Me, ct: ct);
        BigInteger stake = 0;
        string? note = null;
        if (p.Status == 2 && await ChainNowAsync(ct) >= p.UnbondAt && await c.Escrow.OpenLeaseCountQueryAsync(Me, ct: ct) == 0)
        {
            stake = p.Stake;
            await c.Registry.WithdrawStakeRequestAndWaitForReceiptAsync(ct);
        }
        else if (p.Status == 2) note = $"stake unbonding until {DateTimeOffset.FromUnixTimeSeconds((long)p.UnbondAt):u} (chain time) or leases still open";
        else if (p.Status != 0) note = "stake is bonded: run `provider-agent unbond` first";
        var balance = await c.Escrow.BalanceOfQueryAsync(Me, ct: ct);
        if (balance > 0) await c.Escrow.WithdrawRequestAndWaitForReceiptAsync(balance, ct);
        return (stake, balance, note);
    }
}

using System.Numerics;
using Market.Chain.Abi;
using Market.Chain.Crypto;
using Market.Chain.Rpc;
using Market.Chain.Transactions;

namespace Market.Chain.Accounts;

/// <summary>
/// Signs and sends EIP-1559 transactions from one key: estimates gas (×<see cref="GasHeadroom"/>;
/// a revert in estimation throws the typed <see cref="ContractRevertException"/> before anything is
/// sent), suggests fees, takes the nonce from <see cref="NonceManager"/>. Safe to call from many tasks.
/// </summary>
public sealed class TransactionSender
{
    public TransactionSender(EthClient client, EthKey key, BigInteger chainId, NonceManager? nonces = null)
    {
        Client = client;
        Key = key;
        ChainId = chainId;
        Nonces = nonces ?? new NonceManager(client, key.Address);
    }

    public static async Task<TransactionSender> CreateAsync(EthClient client, EthKey key, CancellationToken ct = default) =>
        new(client, key, await client.ChainIdAsync(ct), null);

    public EthClient Client { get; }
    public EthKey Key { get; }
    public Address Address => Key.Address;
    public BigInteger ChainId { get; }
    public NonceManager Nonces { get; }
    public double GasHeadroom { get; init; } = 1.25;
    public TimeSpan ReceiptTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Signs and submits; returns the transaction hash.</summary>
    public async Task<string> SendAsync(TransactionRequest request, IEnumerable<AbiError>? knownErrors = null, CancellationToken ct = default)
    {
        var gas = request.GasLimit ?? await EstimateAsync(request, knownErrors, ct);
        BigInteger maxFee, tip;
        if (request.MaxFeePerGas is { } f && request.MaxPriorityFeePerGas is { } t) (maxFee, tip) = (f, t);
        else (maxFee, tip) = await Client.SuggestFeesAsync(ct);
        return await Nonces.SendWithNonceAsync(async nonce =>
        {
            var signed = new Eip1559Transaction
            {
                ChainId = ChainId, Nonce = nonce, GasLimit = gas, To = request.To, Value = request.Value, Data = request.Data,
                MaxFeePerGas = maxFee, MaxPriorityFeePerGas = tip,
            }.Sign(Key);
            try
            {
                return await Client.SendRawTransactionAsync(signed.Raw, knownErrors, ct);
            }
            catch (ChainException ex) when (ex is RpcTransportException or RpcException)
            {
                // The node may have taken it while its answer was lost (a retried send then reads
                // "already known" or "nonce too low"): if it knows the hash, the nonce is used.
                if (await KnownAsync(signed.HashHex)) return signed.HashHex;
                throw;
            }
        }, ct);
    }

    /// <summary>Sends, waits for the receipt, and throws <see cref="TransactionFailedException"/> when it reverted.</summary>
    public async Task<TransactionReceipt> SendAndWaitForReceiptAsync(TransactionRequest request, IEnumerable<AbiError>? knownErrors = null, CancellationToken ct = default)
    {
        var hash = await SendAsync(request, knownErrors, ct);
        var receipt = await Client.WaitForReceiptAsync(hash, ReceiptTimeout, ct);
        if (!receipt.Succeeded) throw new TransactionFailedException(receipt, await ReplayRevertAsync(request, receipt, knownErrors, ct));
        return receipt;
    }

    /// <summary>Why a mined transaction reverted: the same call replayed on the state before its block.</summary>
    private async Task<ContractRevertException?> ReplayRevertAsync(TransactionRequest r, TransactionReceipt receipt, IEnumerable<AbiError>? knownErrors, CancellationToken ct)
    {
        try
        {
            var block = BlockParameter.AtNumber(receipt.BlockNumber == 0 ? 0 : receipt.BlockNumber - 1);
            await Client.CallAsync(new CallRequest { From = Address, To = r.To, Data = r.Data, Value = r.Value, Gas = receipt.GasUsed * 2 }, block, knownErrors, ct);
            return null;
        }
        catch (ContractRevertException revert) { return revert; }
        catch (ChainException) { return null; }
    }

    private async Task<BigInteger> EstimateAsync(TransactionRequest r, IEnumerable<AbiError>? knownErrors, CancellationToken ct)
    {
        var estimate = await Client.EstimateGasAsync(new CallRequest { From = Address, To = r.To, Data = r.Data, Value = r.Value }, knownErrors, ct);
        return estimate * (BigInteger)(GasHeadroom * 1000) / 1000;
    }

    private async Task<bool> KnownAsync(string hash)
    {
        try { return await Client.TransactionExistsAsync(hash); }
        catch (ChainException) { return false; }
    }
}

using Market.Chain.Abi;
using Market.Chain.Accounts;
using Market.Chain.Rpc;

namespace Market.Chain.Contracts;

/// <summary>Base of the generated <c>&lt;Name&gt;Service</c> classes: eth_call, transactions, events.</summary>
public abstract class ContractService
{
    protected ContractService(EthClient client, Address contractAddress, TransactionSender? sender)
    {
        Client = client;
        ContractAddress = contractAddress;
        Sender = sender;
    }

    public EthClient Client { get; }
    public Address ContractAddress { get; }
    /// <summary>Signs transactions; null for a read-only service.</summary>
    public TransactionSender? Sender { get; }

    public abstract ContractAbi ContractAbi { get; }

    /// <summary>eth_call and decode the outputs.</summary>
    public async Task<object?[]> QueryAsync(FunctionMessage message, BlockParameter? block = null, CancellationToken ct = default)
    {
        var call = new CallRequest { From = message.FromAddress ?? Sender?.Address, To = ContractAddress, Data = message.GetCallData(), Value = message.AmountToSend.IsZero ? null : message.AmountToSend };
        var output = await Client.CallAsync(call, block, ContractAbi.Errors, ct);
        if (output.Length == 0 && message.Function.Outputs.Count > 0)
            throw new AbiDecodingException($"{message.Function.Signature} returned no data (is {ContractAddress} the right contract?)");
        return message.Function.DecodeOutput(output);
    }

    /// <summary>Signs and submits; returns the transaction hash.</summary>
    public Task<string> SendRequestAsync(FunctionMessage message, CancellationToken ct = default) =>
        RequireSender().SendAsync(ToRequest(message), ContractAbi.Errors, ct);

    /// <summary>Submits and waits; a reverted receipt throws <see cref="TransactionFailedException"/>.</summary>
    public Task<TransactionReceipt> SendRequestAndWaitForReceiptAsync(FunctionMessage message, CancellationToken ct = default) =>
        RequireSender().SendAndWaitForReceiptAsync(ToRequest(message), ContractAbi.Errors, ct);

    /// <summary>Events of type <typeparamref name="T"/> emitted by this contract in a block range (paged).</summary>
    public async Task<IReadOnlyList<EventLog<T>>> GetEventsAsync<T>(ulong fromBlock, ulong? toBlock = null, IReadOnlyList<IReadOnlyList<byte[]>?>? indexedTopics = null, CancellationToken ct = default)
        where T : IEventDTO<T>
    {
        var topics = new List<IReadOnlyList<byte[]>?> { new[] { T.Event.Topic0 } };
        if (indexedTopics is not null) topics.AddRange(indexedTopics);
        var logs = await Client.GetLogsAsync(new LogFilter { FromBlock = fromBlock, ToBlock = toBlock, Addresses = [ContractAddress], Topics = topics }, ct);
        return EventDecoding.DecodeAll<T>(logs, ContractAddress);
    }

    /// <summary>A <see cref="LogTailer"/> over every event of this contract (decode with <see cref="EventDecoding"/>).</summary>
    public LogTailer TailEvents(ulong fromBlock, ulong confirmations = 0) =>
        new(Client, new LogFilter { Addresses = [ContractAddress] }, fromBlock, confirmations);

    private TransactionRequest ToRequest(FunctionMessage m) =>
        new() { To = ContractAddress, Data = m.GetCallData(), Value = m.AmountToSend, GasLimit = m.Gas };

    private TransactionSender RequireSender() =>
        Sender ?? throw new ChainException($"{GetType().Name} has no TransactionSender: it can only query");
}

using Market.Chain.Abi;
using Market.Chain.Rpc;

namespace Market.Chain.Contracts;

/// <summary>A typed event (generated per event): its ABI and how to build it from decoded values.</summary>
public interface IEventDTO<TSelf> where TSelf : IEventDTO<TSelf>
{
    static abstract AbiEvent Event { get; }
    static abstract TSelf FromDecoded(DecodedEvent decoded);
}

/// <summary>A decoded event with the log it came from (block, transaction, index).</summary>
public sealed record EventLog<T>(T Event, Log Log);

public static class EventDecoding
{
    /// <summary>Every log of type <typeparamref name="T"/> among <paramref name="logs"/> (other logs skipped).</summary>
    public static IReadOnlyList<EventLog<T>> DecodeAll<T>(IEnumerable<Log> logs, Address? emitter = null) where T : IEventDTO<T>
    {
        var result = new List<EventLog<T>>();
        foreach (var log in logs)
        {
            if (emitter is { } a && log.Address != a) continue;
            if (!T.Event.Matches(log.Topics)) continue;
            result.Add(new EventLog<T>(T.FromDecoded(T.Event.Decode(log.Topics, log.Data)), log));
        }
        return result;
    }

    public static IReadOnlyList<EventLog<T>> DecodeAll<T>(TransactionReceipt receipt, Address? emitter = null) where T : IEventDTO<T> =>
        DecodeAll<T>(receipt.Logs, emitter);

    public static T DecodeSingle<T>(TransactionReceipt receipt, Address? emitter = null) where T : IEventDTO<T>
    {
        var all = DecodeAll<T>(receipt, emitter);
        return all.Count == 1 ? all[0].Event : throw new ChainException($"expected one {T.Event.Name} event in {receipt.TransactionHash}, found {all.Count}");
    }
}

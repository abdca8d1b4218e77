namespace Market.Chain.Abi;

/// <summary>An event's values in parameter order, also reachable by parameter name.</summary>
public sealed class DecodedEvent(AbiEvent abiEvent, object?[] values)
{
    public AbiEvent Event { get; } = abiEvent;
    public string Name => Event.Name;
    public IReadOnlyList<object?> Values { get; } = values;

    public object? this[string name]
    {
        get
        {
            for (int i = 0; i < Event.Inputs.Count; i++)
                if (Event.Inputs[i].Name == name) return Values[i];
            throw new KeyNotFoundException($"{Event.Signature} has no parameter '{name}'");
        }
    }
}

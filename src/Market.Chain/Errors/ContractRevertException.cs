namespace Market.Chain;

/// <summary>
/// A call or transaction reverted. <see cref="ErrorName"/> is "Error" for require-strings,
/// "Panic" for Solidity panics, the custom error's name when its ABI is known, or null when the
/// revert data could not be matched. Generated bindings derive one typed exception per custom
/// error from this class, so callers can <c>catch (LeaseEscrowBidExpiredException e)</c>.
/// </summary>
public class ContractRevertException : ChainException
{
    public ContractRevertException(string? errorName, string? signature, IReadOnlyList<object?> arguments, byte[] revertData, string? reason = null)
        : base(Describe(errorName, signature, arguments, revertData, reason))
    {
        ErrorName = errorName;
        Signature = signature;
        Arguments = arguments;
        RevertData = revertData;
        Reason = reason;
    }

    /// <summary>Copy constructor for typed subclasses.</summary>
    protected ContractRevertException(ContractRevertException decoded)
        : this(decoded.ErrorName, decoded.Signature, decoded.Arguments, decoded.RevertData, decoded.Reason) { }

    public string? ErrorName { get; }
    public string? Signature { get; }
    public IReadOnlyList<object?> Arguments { get; }
    public byte[] RevertData { get; }
    /// <summary>The text of <c>Error(string)</c>, or the node's message when the data is empty.</summary>
    public string? Reason { get; }

    /// <summary>The 4-byte selector of the revert data as 0x-hex, or null when shorter.</summary>
    public string? Selector => RevertData.Length >= 4 ? Hex.Encode(RevertData.AsSpan(0, 4)) : null;

    private static string Describe(string? name, string? sig, IReadOnlyList<object?> args, byte[] data, string? reason)
    {
        if (name == "Error") return $"execution reverted: {reason}";
        if (name is null)
            return data.Length == 0 ? $"execution reverted{(reason is null ? "" : ": " + reason)}" : $"execution reverted with unknown error data {Hex.Encode(data)}";
        var shown = string.Join(", ", args.Select(Abi.AbiValueFormatter.Format));
        return $"execution reverted: {name}({shown})";
    }
}

using System.Numerics;

namespace Market.Chain.Accounts;

/// <summary>What to send; unset gas and fees are estimated by <see cref="TransactionSender"/>.</summary>
public sealed record TransactionRequest
{
    /// <summary>Null deploys <see cref="Data"/> as contract code.</summary>
    public Address? To { get; init; }
    public byte[] Data { get; init; } = [];
    public BigInteger Value { get; init; }
    public BigInteger? GasLimit { get; init; }
    public BigInteger? MaxFeePerGas { get; init; }
    public BigInteger? MaxPriorityFeePerGas { get; init; }
}

using Market.Chain.Rpc;

namespace Market.Chain;

/// <summary>
/// A mined transaction whose receipt has status 0 (reverted on chain). <see cref="Revert"/> is the
/// decoded reason when replaying the call on the previous block's state reproduces the revert.
/// </summary>
public sealed class TransactionFailedException : ChainException
{
    public TransactionFailedException(TransactionReceipt receipt, ContractRevertException? revert = null)
        : base($"transaction {receipt.TransactionHash} reverted in block {receipt.BlockNumber}" + (revert is null ? "" : $": {revert.Message}"), revert ?? new Exception("no revert reason"))
    {
        Receipt = receipt;
        Revert = revert;
    }

    public TransactionReceipt Receipt { get; }
    public ContractRevertException? Revert { get; }
}

using System.Collections.Concurrent;

namespace Market.Chain.Abi;

/// <summary>
/// Process-wide map from custom-error selector to its ABI and a factory for its typed exception.
/// The generated bindings register every error of our contracts at module load, so any revert
/// seen through <see cref="Rpc.EthClient"/> surfaces as e.g. <c>LeaseEscrowBidExpiredException</c>.
/// </summary>
public static class ContractErrorRegistry
{
    private static readonly ConcurrentDictionary<uint, (AbiError Error, Func<ContractRevertException, ContractRevertException>? Factory)> Errors = new();

    public static void Register(AbiError error, Func<ContractRevertException, ContractRevertException>? typedFactory = null) =>
        Errors[Key(error.Selector)] = (error, typedFactory);

    public static AbiError? Find(ReadOnlySpan<byte> revertData) =>
        revertData.Length >= 4 && Errors.TryGetValue(Key(revertData), out var e) ? e.Error : null;

    internal static ContractRevertException Specialize(ContractRevertException generic)
    {
        if (generic.RevertData.Length >= 4 && Errors.TryGetValue(Key(generic.RevertData), out var e) && e.Factory is not null && e.Error.Signature == generic.Signature)
            return e.Factory(generic);
        return generic;
    }

    private static uint Key(ReadOnlySpan<byte> selector) => System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(selector);
}

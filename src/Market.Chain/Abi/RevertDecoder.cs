using System.Numerics;

namespace Market.Chain.Abi;

/// <summary>
/// Turns revert data into a <see cref="ContractRevertException"/>: Error(string), Panic(uint256),
/// or a custom error found in the given ABIs or in <see cref="ContractErrorRegistry"/> (where the
/// generated bindings register their typed exceptions).
/// </summary>
public static class RevertDecoder
{
    public static ContractRevertException Decode(byte[] data, IEnumerable<AbiError>? knownErrors = null, string? nodeMessage = null)
    {
        try
        {
            if (AbiError.ErrorString.Matches(data))
            {
                var args = AbiError.ErrorString.DecodeArguments(data);
                return new ContractRevertException("Error", AbiError.ErrorString.Signature, args, data, (string?)args[0]);
            }
            if (AbiError.Panic.Matches(data))
            {
                var args = AbiError.Panic.DecodeArguments(data);
                return new ContractRevertException("Panic", AbiError.Panic.Signature, args, data, PanicReason((BigInteger)args[0]!));
            }
            var error = knownErrors?.FirstOrDefault(e => e.Matches(data)) ?? ContractErrorRegistry.Find(data);
            if (error is not null)
            {
                var generic = new ContractRevertException(error.Name, error.Signature, error.DecodeArguments(data), data);
                return ContractErrorRegistry.Specialize(generic);
            }
        }
        catch (AbiDecodingException)
        {
            // Selector matched but the arguments did not decode: report it as unknown data below.
        }
        return new ContractRevertException(null, null, [], data, nodeMessage);
    }

    public static string PanicReason(BigInteger code) => (int)(code & 0xff) switch
    {
        0x01 => "Panic: assertion failed",
        0x11 => "Panic: arithmetic overflow or underflow",
        0x12 => "Panic: division or modulo by zero",
        0x21 => "Panic: invalid enum value",
        0x22 => "Panic: corrupt storage byte array",
        0x31 => "Panic: pop on an empty array",
        0x32 => "Panic: array index out of bounds",
        0x41 => "Panic: out of memory",
        0x51 => "Panic: call to an uninitialized function",
        _ => $"Panic: code 0x{code:x}",
    };
}

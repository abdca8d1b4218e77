using System.Numerics;
using Market.Chain.Abi;

namespace Market.Chain.Contracts;

/// <summary>A typed call of one contract function (generated per function, Nethereum style).</summary>
public abstract class FunctionMessage
{
    /// <summary>The function's ABI entry.</summary>
    public abstract AbiFunction Function { get; }

    /// <summary>Argument values in ABI order.</summary>
    public abstract object?[] GetArguments();

    /// <summary>Wei sent along (payable functions).</summary>
    public BigInteger AmountToSend { get; set; }
    /// <summary>Gas limit; estimated when null.</summary>
    public BigInteger? Gas { get; set; }
    /// <summary>eth_call sender; defaults to the service's sender account.</summary>
    public Address? FromAddress { get; set; }

    public byte[] GetCallData() => Function.EncodeCall(GetArguments());
}

using System.Text.Json;
using Market.Chain.Abi;

namespace Market.Chain.Rpc;

/// <summary>
/// Finds revert data in a node's error. Hardhat: code -32603 with data = { message, data: "0x…" }
/// (or data as a bare hex string); geth and most others: code 3 with data = "0x…".
/// </summary>
public static class RevertData
{
    public static bool TryExtract(RpcException error, out byte[] data)
    {
        data = [];
        if (error.ErrorData is { } d)
        {
            if (d.ValueKind == JsonValueKind.String && Hex.IsHex(d.GetString())) { data = Hex.Decode(d.GetString()); return true; }
            if (d.ValueKind == JsonValueKind.Object && d.TryGetProperty("data", out var inner) && inner.ValueKind == JsonValueKind.String && Hex.IsHex(inner.GetString()))
            {
                data = Hex.Decode(inner.GetString());
                return true;
            }
        }
        // A revert without data (e.g. `revert()`): the message says so.
        return error.Code == 3 || error.RpcMessage.Contains("revert", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The typed revert exception when the error is a revert, else null.</summary>
    public static ContractRevertException? ToRevert(RpcException error, IEnumerable<AbiError>? knownErrors = null) =>
        TryExtract(error, out var data) ? Attach(RevertDecoder.Decode(data, knownErrors, error.RpcMessage), error) : null;

    private static ContractRevertException Attach(ContractRevertException revert, RpcException source)
    {
        revert.Data["rpcMethod"] = source.Method;
        revert.Data["rpcMessage"] = source.RpcMessage;
        return revert;
    }
}

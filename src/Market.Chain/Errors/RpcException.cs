using System.Text.Json;

namespace Market.Chain;

/// <summary>A JSON-RPC error answered by the node (not a transport failure, never retried).</summary>
public class RpcException : ChainException
{
    public RpcException(string method, int code, string message, JsonElement? data = null)
        : base($"{method}: RPC error {code}: {message}")
    {
        Method = method;
        Code = code;
        RpcMessage = message;
        ErrorData = data;
    }

    public string Method { get; }
    public int Code { get; }
    public string RpcMessage { get; }
    public JsonElement? ErrorData { get; }
}

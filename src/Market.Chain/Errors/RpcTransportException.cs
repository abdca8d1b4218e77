namespace Market.Chain;

/// <summary>The node could not be reached (after the client's retries) or answered non-JSON.</summary>
public sealed class RpcTransportException : ChainException
{
    public RpcTransportException(string message, Exception? inner = null) : base(message, inner ?? new IOException(message)) { }
}

namespace ProviderAgent.Runtime;

/// <summary>A container could not be created, started or found; the message says which and why.</summary>
public sealed class ContainerRuntimeException(string message, Exception? inner = null) : Exception(message, inner);

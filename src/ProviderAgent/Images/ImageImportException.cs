namespace ProviderAgent.Images;

/// <summary>An archive the store refuses: malformed, oversize, or trying to write outside the rootfs.</summary>
public sealed class ImageImportException(string message, Exception? inner = null) : Exception(message, inner);

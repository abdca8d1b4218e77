namespace Market.Matching;

/// <summary>Configuration and set-up errors of the matching context. The command path never throws; it rejects.</summary>
public sealed class MatchingException(string message) : Exception(message);

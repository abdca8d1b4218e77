namespace Market.Chain.Transactions;

/// <summary>One EIP-2930 access-list entry: an address and the storage slots (32 bytes each) it touches.</summary>
public sealed record AccessListItem(Address Address, IReadOnlyList<byte[]> StorageKeys);

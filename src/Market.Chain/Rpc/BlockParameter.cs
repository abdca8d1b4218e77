using System.Numerics;

namespace Market.Chain.Rpc;

/// <summary>A block tag ("latest", "pending", …) or a block number, as JSON-RPC takes it.</summary>
public readonly record struct BlockParameter
{
    private BlockParameter(string tag, BigInteger? number) { Tag = tag; Number = number; }

    public string Tag { get; }
    public BigInteger? Number { get; }

    public static BlockParameter Latest { get; } = new("latest", null);
    public static BlockParameter Pending { get; } = new("pending", null);
    public static BlockParameter Earliest { get; } = new("earliest", null);
    public static BlockParameter Safe { get; } = new("safe", null);
    public static BlockParameter Finalized { get; } = new("finalized", null);
    public static BlockParameter AtNumber(BigInteger number) => new(Hex.EncodeQuantity(number), number);

    public static implicit operator BlockParameter(ulong number) => AtNumber(number);

    public override string ToString() => Tag ?? "latest";
}

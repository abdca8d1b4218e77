using System.Numerics;

namespace Market.Chain.Contracts;

/// <summary>LeaseEscrow's verdict codes for settlement entries.</summary>
public enum Verdict : byte { Met = 0, Breached = 1, ConsumerFault = 2 }

/// <summary>
/// One packed settlement entry as LeaseEscrow.proposeSettlement / finalize take it:
/// <c>leaseId | usage &lt;&lt; 64 | verdict &lt;&lt; 192</c> (usage in mNCU·s).
/// </summary>
public readonly record struct SettlementEntry(ulong LeaseId, UInt128 Usage, Verdict Verdict)
{
    public BigInteger Pack() => LeaseId | ((BigInteger)Usage << 64) | ((BigInteger)(byte)Verdict << 192);

    public static SettlementEntry Unpack(BigInteger entry)
    {
        if (entry.Sign < 0 || entry >> 200 != 0) throw new ChainException("settlement entry has bits above 200 set");
        var mask64 = (BigInteger.One << 64) - 1;
        var mask128 = (BigInteger.One << 128) - 1;
        return new SettlementEntry((ulong)(entry & mask64), (UInt128)((entry >> 64) & mask128), (Verdict)(byte)(entry >> 192));
    }

    public static List<BigInteger> PackAll(IEnumerable<SettlementEntry> entries) => entries.Select(e => e.Pack()).ToList();
}

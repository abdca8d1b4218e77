using System.Text;

namespace ProviderAgent.Runtime.Docker;

/// <summary>Keeps the first <c>cap</c> bytes of a stream and counts the rest, which it drops.</summary>
internal sealed class CappedBuffer(long cap)
{
    private readonly MemoryStream _head = new();
    private long _dropped;

    public void Append(ReadOnlySpan<byte> data)
    {
        long room = Math.Max(0, cap - _head.Length);
        int keep = (int)Math.Min(room, data.Length);
        _head.Write(data[..keep]);
        _dropped += data.Length - keep;
    }

    public CapturedOutput ToOutput()
    {
        string text = Encoding.UTF8.GetString(_head.GetBuffer(), 0, (int)_head.Length);
        return _dropped == 0 ? new CapturedOutput(text, false)
            : new CapturedOutput(text + $"\n[provider-agent: output truncated after {cap} bytes]\n", true);
    }
}

using System.Buffers.Binary;

namespace ProviderAgent.Runtime.Docker;

/// <summary>
/// Splits Docker's multiplexed log stream (non-TTY containers): frames of an 8-byte header —
/// stream (1 stdout, 2 stderr), three zero bytes, big-endian uint32 length — then the payload.
/// </summary>
internal static class DockerStreamDemux
{
    public static async Task ReadAsync(Stream stream, Action<int, ReadOnlyMemory<byte>> onFrame, CancellationToken ct)
    {
        var header = new byte[8];
        var payload = new byte[32 * 1024];
        while (true)
        {
            int got = await stream.ReadAtLeastAsync(header, 8, throwOnEndOfStream: false, ct);
            if (got == 0) return;
            if (got < 8) throw new InvalidDataException("truncated Docker stream header");
            int kind = header[0];
            long remaining = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4));
            while (remaining > 0)
            {
                int want = (int)Math.Min(remaining, payload.Length);
                int n = await stream.ReadAtLeastAsync(payload.AsMemory(0, want), want, throwOnEndOfStream: false, ct);
                if (n == 0) throw new InvalidDataException("truncated Docker stream frame");
                onFrame(kind, payload.AsMemory(0, n));
                remaining -= n;
            }
        }
    }
}

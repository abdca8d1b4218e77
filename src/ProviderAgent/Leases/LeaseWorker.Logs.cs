using System.Text;
using Market.Protocol.Agents;
using ProviderAgent.MarketApi;
using ProviderAgent.State;

namespace ProviderAgent.Leases;

public sealed partial class LeaseWorker
{
    /// <summary>
    /// Ships output written since the last pump as log chunks (seq 1, 2, …; at most LogChunkBytes each,
    /// cut on UTF-8 character boundaries). The new offsets and the chunks are committed together, so a
    /// restart neither repeats nor skips output. Past LogCapBytes one "system" chunk says the rest was
    /// dropped; the result (stdout) is capped separately.
    /// </summary>
    private void PumpLogs(bool final)
    {
        if (_run.ContainerId is null || o.State.GetContainer(_run.ContainerId) is not { } record) return;
        var offsets = new[] { _run.StdoutOffset, _run.StderrOffset };
        string[] names = ["stdout", "stderr"];
        string[] files = [Path.Combine(record.BundlePath, Runtime.Runc.Shim.StdoutFile), Path.Combine(record.BundlePath, Runtime.Runc.Shim.StderrFile)];
        long seq = _run.LogSeq, bytes = _run.LogBytes;
        var reports = new List<OutboxItem>();
        for (int i = 0; i < 2; i++)
        {
            if (!File.Exists(files[i])) continue;
            using var f = new FileStream(files[i], FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            while (f.Length > offsets[i] && reports.Count < 64)
            {
                int want = (int)Math.Min(o.Daemon.LogChunkBytes, f.Length - offsets[i]);
                var buffer = new byte[want];
                f.Position = offsets[i];
                int n = f.ReadAtLeast(buffer, want, throwOnEndOfStream: false);
                if (n == 0) break;
                int usable = final && n < o.Daemon.LogChunkBytes ? n : Utf8Boundary(buffer, n);
                if (usable == 0) { if (final) usable = n; else break; }
                offsets[i] += usable;
                if (bytes >= o.Daemon.LogCapBytes) continue; // over the cap: advance, ship nothing
                if (bytes + usable > o.Daemon.LogCapBytes)
                {
                    bytes = o.Daemon.LogCapBytes;
                    reports.Add(Chunk(++seq, "system", $"log cap of {o.Daemon.LogCapBytes} bytes reached: further output is not streamed\n"));
                    continue;
                }
                bytes += usable;
                reports.Add(Chunk(++seq, names[i], Encoding.UTF8.GetString(buffer, 0, usable)));
            }
        }
        if (offsets[0] == _run.StdoutOffset && offsets[1] == _run.StderrOffset) return;
        Update(new() { ["stdout_offset"] = offsets[0], ["stderr_offset"] = offsets[1], ["log_seq"] = seq, ["log_bytes"] = bytes }, reports.ToArray());
    }

    private OutboxItem Chunk(long seq, string stream, string data) =>
        OutboxItem.New(Id, "log", AgentApiClient.Serialize(new LogChunk(LeaseId, seq, stream, data)));

    /// <summary>Length of the longest prefix of buffer[..n] that does not end inside a UTF-8 sequence.</summary>
    internal static int Utf8Boundary(byte[] buffer, int n)
    {
        int i = n - 1, back = 0;
        while (i >= 0 && back < 4 && (buffer[i] & 0xC0) == 0x80) { i--; back++; }
        if (i < 0) return n; // only continuation bytes: not UTF-8 anyway, ship as is
        byte lead = buffer[i];
        int need = lead < 0x80 ? 1 : (lead & 0xE0) == 0xC0 ? 2 : (lead & 0xF0) == 0xE0 ? 3 : (lead & 0xF8) == 0xF0 ? 4 : 1;
        return back + 1 >= need ? n : i;
    }
}

namespace ProviderAgent.Runtime.Runc;

/// <summary>
/// The per-container shim, in the role of containerd-shim: a small bash process in its own
/// session that runs `runc run` in the foreground and outlives the agent. Because it, not the
/// agent, holds the container's stdio and collects its exit status, an agent restart loses
/// neither: the new agent reads exit.code and the log files from the bundle.
/// Output capture: each stream goes through a FIFO (made by the agent, <see cref="MakeFifos"/>)
/// to `head -c CAP` (keeps the head), then any remainder is drained by `cat > /dev/null`, so a
/// flooding container is never blocked on a full pipe and the disk never holds more than CAP bytes
/// per stream. Every container pays for this script, so it starts as few processes as it can:
/// under load the shims' forks and execs were a third of a busy host's CPU.
/// </summary>
internal static class Shim
{
    public const string ExitFile = "exit.code", StdoutFile = "stdout.log", StderrFile = "stderr.log", RuncLog = "runc.log";
    public const string StdoutFifo = "stdout.fifo", StderrFifo = "stderr.fifo";
    public const string TruncationMarker = "[provider-agent: output truncated after";

    public const string Script = """
        #!/bin/bash
        # provider-agent container shim. Args: RUNC ROOT BUNDLE ID CAP_BYTES
        # The agent has made stdout.fifo and stderr.fifo in the bundle.
        set -u
        export LC_ALL=C
        runc_bin=$1 root=$2 bundle=$3 id=$4 cap=$5
        cd "$bundle" || exit 1
        exec </dev/null >>shim.log 2>&1
        capture() {
          head -c "$cap" >"$1"
          # A byte beyond the cap (read is a builtin; LC_ALL=C makes -n 1 one byte).
          if IFS= read -r -d '' -n 1 _; then
            printf '\n[provider-agent: output truncated after %s bytes]\n' "$cap" >>"$1"
            cat >/dev/null
          fi
        }
        capture stdout.log <stdout.fifo & out=$!
        capture stderr.log <stderr.fifo & err=$!
        # --keep: the stopped container (and its cgroup, with the OOM counters) stays until the
        # agent has read it and runs `runc delete`.
        "$runc_bin" --root "$root" --log "$bundle/runc.log" --log-format json run --keep --bundle "$bundle" "$id" >stdout.fifo 2>stderr.fifo
        rc=$?
        wait "$out" "$err"
        echo "$rc" >exit.tmp && mv exit.tmp exit.code
        """;

    /// <summary>The two FIFOs the shim's capture reads, owner-only, made without a process.</summary>
    public static void MakeFifos(string bundle)
    {
        foreach (var name in new[] { StdoutFifo, StderrFifo })
        {
            string path = Path.Combine(bundle, name);
            File.Delete(path);
            if (mkfifo(path, 0b110_000_000) != 0) // 0600
                throw new IOException($"mkfifo {path} failed (errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()})");
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    private static extern int mkfifo(string path, uint mode);
}

namespace ProviderAgent.Runtime.Runc;

/// <summary>
/// The per-container shim, in the role of containerd-shim: a small bash process in its own
/// session that runs `runc run` in the foreground and outlives the agent. Because it, not the
/// agent, holds the container's stdio and collects its exit status, an agent restart loses
/// neither: the new agent reads exit.code and the log files from the bundle.
/// Output capture: each stream goes through a FIFO to `head -c CAP` (keeps the head), then any
/// remainder is drained by `cat > /dev/null`, so a flooding container is never blocked on a full
/// pipe and the disk never holds more than CAP bytes per stream.
/// </summary>
internal static class Shim
{
    public const string ExitFile = "exit.code", StdoutFile = "stdout.log", StderrFile = "stderr.log", RuncLog = "runc.log";
    public const string TruncationMarker = "[provider-agent: output truncated after";

    public const string Script = """
        #!/bin/bash
        # provider-agent container shim. Args: RUNC ROOT BUNDLE ID CAP_BYTES
        set -u
        runc_bin=$1 root=$2 bundle=$3 id=$4 cap=$5
        cd "$bundle" || exit 1
        exec </dev/null >>shim.log 2>&1
        capture() {
          head -c "$cap" >"$1"
          if [ "$(head -c 1 | wc -c)" -gt 0 ]; then
            printf '\n[provider-agent: output truncated after %s bytes]\n' "$cap" >>"$1"
            cat >/dev/null
          fi
        }
        rm -f stdout.fifo stderr.fifo
        mkfifo -m 600 stdout.fifo stderr.fifo
        capture stdout.log <stdout.fifo & out=$!
        capture stderr.log <stderr.fifo & err=$!
        # --keep: the stopped container (and its cgroup, with the OOM counters) stays until the
        # agent has read it and runs `runc delete`.
        "$runc_bin" --root "$root" --log "$bundle/runc.log" --log-format json run --keep --bundle "$bundle" "$id" >stdout.fifo 2>stderr.fifo
        rc=$?
        wait "$out" "$err"
        echo "$rc" >exit.tmp && mv exit.tmp exit.code
        """;
}

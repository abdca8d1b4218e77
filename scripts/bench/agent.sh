#!/usr/bin/env bash
# Provider agent figures (DESIGN §9): measured Logical capacity and its spread, container start
# overhead over raw runc, idle resident memory. Figures on stdout as "BENCH name value unit",
# progress on stderr. Needs root (runc, cgroups), runc and busybox-static.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/../lib/busybox-image.sh"
cd "$ROOT"

ensure_apt runc runc
ensure_apt /usr/share/doc/busybox-static busybox-static

log "agent: building provider-agent (Release)"
dotnet build src/ProviderAgent/ProviderAgent.csproj -c Release --nologo -v quiet -clp:ErrorsOnly >&2
agent="$ROOT/src/ProviderAgent/bin/Release/net10.0/provider-agent"

work="$(mktemp -d /tmp/agent-bench.XXXXXX)"
idle_pid=""
cleanup() {
  [[ -n "$idle_pid" ]] && kill "$idle_pid" 2>/dev/null && wait "$idle_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
data="$work/data"

# json_field NAME JSON: the number after "NAME": in a flat JSON object.
json_field() { sed -E "s/.*\"$1\":([-0-9.eE+]+).*/\1/" <<<"$2"; }

# The spread measures the host as it is: on a machine shared with other work it shows contention.
log "agent: CPU benchmark (5 runs x 2 s on all cores; load average $(cut -d' ' -f1-3 /proc/loadavg))"
bench="$("$agent" --data-dir "$data" bench --json --runs 5 --seconds 2)"
echo "BENCH agent.mncu $(json_field mncu "$bench") mNCU"
printf 'BENCH agent.mncu_spread_pct %.1f %%\n' "$(json_field spread_pct "$bench")"

# A busybox image as a `docker save` tarball, built here: there is no registry on these hosts.
log "agent: building and importing a busybox image"
build_busybox_image "$work/busybox.tar" bench/busybox:latest
"$agent" --data-dir "$data" image import "$work/busybox.tar" >&2

log "agent: container start overhead over raw runc (median of 20 each)"
start="$("$agent" --data-dir "$data" bench-start --image bench/busybox --runs 20 --runc-root "$work/runc")"
log "agent: $start"
printf 'BENCH agent.start_overhead_ms %.1f ms\n' "$(json_field overhead_ms "$start")"

log "agent: idle resident memory"
"$agent" --data-dir "$data" idle --runc-root "$work/runc" >"$work/idle.out" 2>&1 &
idle_pid=$!
for _ in $(seq 1 100); do grep -q '^ready' "$work/idle.out" 2>/dev/null && break; sleep 0.1; done
sleep 2 # let start-up allocations settle, as an idle daemon would
rss_kb=$(awk '/^VmRSS:/ {print $2}' "/proc/$idle_pid/status")
kill "$idle_pid"; wait "$idle_pid" 2>/dev/null || true; idle_pid=""
awk -v kb="$rss_kb" 'BEGIN { printf "BENCH agent.idle_rss_mb %.1f MB\n", kb / 1024 }'

#!/usr/bin/env bash
# End-to-end figures (issue #8): e2e.bids_per_s, e2e.saturated_submit_to_running_p50_ms, e2e.open_rate_per_s,
# e2e.submit_to_running_p50_ms / _p99_ms,
# e2e.submit_to_settled_p50_ms — a Hardhat node (challenge period E2E_BENCH_CHALLENGE_PERIOD, default 5 s),
# a Market.Api process (SQLite), three provider-agent daemons (runc) and E2E_BENCH_CONSUMERS (50) consumers
# running E2E_BENCH_JOBS (default 300) signed busybox jobs in closed loops (capacity), then a minute of open-loop
# Poisson arrivals at E2E_BENCH_LOAD (0.5) of that capacity or E2E_BENCH_RATE jobs/s (latency; see E2eFigures.cs).
# Needs root (runc, cgroups), runc and busybox-static. Stdout carries only BENCH lines.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/../lib/busybox-image.sh"
cd "$ROOT"
ensure_apt runc runc
ensure_apt /usr/share/doc/busybox-static busybox-static
ensure_node_modules
ensure_contracts_compiled
log "e2e: building Market.Api, provider-agent and the benchmarks (Release)"
dotnet build -c Release src/Market.Api --nologo -v quiet -clp:ErrorsOnly >&2
dotnet build -c Release src/ProviderAgent --nologo -v quiet -clp:ErrorsOnly >&2
dotnet build -c Release bench/Market.Benchmarks --nologo -v quiet -clp:ErrorsOnly >&2

work="$(mktemp -d /tmp/e2e-bench.XXXXXX)"
trap 'rm -rf "$work"' EXIT

# A busybox image as a `docker save` tarball, built here: there is no registry on these hosts.
build_busybox_image "$work/busybox.tar"

# deploy.js reads CHALLENGE_PERIOD: a short window so settlements finalize within the run.
CHALLENGE_PERIOD="${E2E_BENCH_CHALLENGE_PERIOD:-5}" E2E_BENCH_IMAGE="$work/busybox.tar" \
  dotnet run -c Release --no-build --project bench/Market.Benchmarks -- figures e2e

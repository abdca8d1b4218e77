#!/usr/bin/env bash
# Matching engine figures (DESIGN §9): continuous and constrained throughput, p99 per command,
# allocation per command, the 10k x 1k call auction, the ratio to a linear-scan matcher, and the
# survey testbed replay. Figures on stdout as "BENCH name value unit"; build output, progress and
# the testbed comparison table on stderr. Takes about a minute on 2 cores.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
cd "$ROOT"

log "matching: building benchmarks (Release)"
dotnet build bench/Market.Benchmarks/Market.Benchmarks.csproj -c Release --nologo -v quiet -clp:ErrorsOnly >&2
dotnet run -c Release --no-build --project bench/Market.Benchmarks -- figures matching

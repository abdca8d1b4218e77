#!/usr/bin/env bash
# Market.Api figures: api.bids_per_s, api.submit_p50_ms, api.submit_p99_ms — signed jobs accepted
# over HTTP on loopback by a real Market.Api process against a Hardhat chain (see ApiFigures.cs).
# API_BENCH_BIDS sets how many bids are timed (default 5000). Stdout carries only BENCH lines.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
cd "$ROOT"
ensure_node_modules
ensure_contracts_compiled
dotnet build -c Release src/Market.Api --nologo -v quiet -clp:ErrorsOnly >&2
dotnet build -c Release bench/Market.Benchmarks --nologo -v quiet -clp:ErrorsOnly >&2
dotnet run -c Release --no-build --project bench/Market.Benchmarks -- figures api

#!/usr/bin/env bash
# Market.Chain figures (docs/chain.md): chain.sign_per_s, chain.recover_per_s,
# chain.recover_vs_ethers (and the two rates behind it), chain.keccak_mb_per_s.
# Build noise goes to stderr; stdout carries only BENCH lines.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
cd "$ROOT"
ensure_node_modules
ensure_contracts_compiled
dotnet build -c Release bench/Market.Benchmarks --nologo -v quiet -clp:ErrorsOnly >&2
dotnet run -c Release --no-build --project bench/Market.Benchmarks -- figures chain

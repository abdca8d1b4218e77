#!/usr/bin/env bash
# Billing figures: billing.settlements_per_s (leases judged, proposed and finalized per second of engine
# time, through SettlementEngine against a Hardhat node; the challenge window is skipped by time travel)
# and billing.gas_per_lease (propose + finalize gas per lease from the engine's receipts, batches of 100
# sorted by provider/offer/consumer). BILLING_BENCH_LEASES sets the lease count (default 200).
# The harness is tests/Market.Billing.Tests/Chain/BillingFigures.cs. Stdout carries only BENCH lines.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
cd "$ROOT"
ensure_node_modules
ensure_contracts_compiled
out="$(mktemp)"
trap 'rm -f "$out"' EXIT
log "settling ${BILLING_BENCH_LEASES:-200} leases through the billing engine"
BILLING_BENCH_OUT="$out" dotnet test tests/Market.Billing.Tests -c Release --nologo -v quiet \
  --filter "FullyQualifiedName~BillingFigures" >&2
grep '^BENCH ' "$out"

#!/usr/bin/env bash
# Gas figures of the contracts (DESIGN §9), measured from receipts on the in-process Hardhat network.
# Prints only "BENCH <name> <value> gas" lines on stdout; progress goes to stderr.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
cd "$ROOT"
ensure_node_modules
ensure_contracts_compiled
log "measuring contract gas"
node node_modules/.bin/hardhat run scripts/bench-gas.js | grep '^BENCH '

#!/usr/bin/env bash
# Prints one "BENCH <name> <value> <unit>" line per figure (DESIGN §9).
# Usage: scripts/bench.sh [group ...]   groups: contracts chain matching api agent billing e2e
# With no group, runs every group that exists. Each group is scripts/bench/<group>.sh; progress
# goes to stderr, figures to stdout.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

all=(contracts chain matching api agent billing e2e)
groups=("$@"); [[ ${#groups[@]} -eq 0 ]] && groups=("${all[@]}")
for g in "${groups[@]}"; do
  script="$ROOT/scripts/bench/$g.sh"
  if [[ ! -f "$script" ]]; then
    if [[ $# -gt 0 ]]; then echo "bench: unknown or not yet built group '$g'" >&2; exit 2; fi
    continue
  fi
  log "bench group $g"
  bash "$script"
done

#!/usr/bin/env bash
# Runs every test: the Hardhat contract tests, then `dotnet test` for the whole
# solution. Installs whatever is missing first. Ends with one line
# "N passed, N failed" and exits non-zero on any failure.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

set -e
# Market.Api tests run on SQLite and on a throwaway PostgreSQL server they start themselves.
ensure_apt "/usr/lib/postgresql/*/bin/initdb" postgresql
# ProviderAgent tests run real containers with runc from a busybox image they build themselves.
ensure_apt runc runc
ensure_apt dockerd docker.io
ensure_apt /usr/share/doc/busybox-static busybox-static
# The dashboard tests drive Debian's chromium headless through playwright-core (npm).
ensure_apt chromium chromium
ensure_node_modules
ensure_contracts_compiled
log "restoring and building the solution"
dotnet build Market.sln -c Release --nologo -v quiet -clp:ErrorsOnly
set +e

out_dir="$(mktemp -d)"
trap 'rm -rf "$out_dir"' EXIT
passed=0; failed=0; skipped=0; status=0

log "contract tests (Hardhat)"
node node_modules/.bin/hardhat test --no-compile 2>&1 | tee "$out_dir/hardhat.log"
rc=${PIPESTATUS[0]}
p=$(grep -Eo '^ +[0-9]+ passing' "$out_dir/hardhat.log" | grep -Eo '[0-9]+' | tail -1)
f=$(grep -Eo '^ +[0-9]+ failing' "$out_dir/hardhat.log" | grep -Eo '[0-9]+' | tail -1)
passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
if [[ $rc -ne 0 ]]; then status=1; [[ -z "$f" ]] && failed=$((failed + 1)); fi

log "C# tests (dotnet test)"
# The dashboard's browser test keeps its screenshots here, as test artifacts (gitignored).
export DASHBOARD_SCREENSHOTS="${DASHBOARD_SCREENSHOTS:-$ROOT/TestResults/dashboard}"
# Counts come from the TRX files, not the console: test assemblies run in parallel and their
# console summaries can interleave.
dotnet test Market.sln -c Release --no-build --nologo --logger trx --results-directory "$out_dir/trx" 2>&1 | tee "$out_dir/dotnet.log"
rc=${PIPESTATUS[0]}
trx_count() { grep -ho "<Counters [^>]*" "$out_dir"/trx/*.trx 2>/dev/null | grep -o " $1=\"[0-9]*\"" | grep -o "[0-9]*" | awk '{ s += $1 } END { print s + 0 }'; }
p=$(trx_count passed); f=$(trx_count failed); n=$(trx_count notExecuted)
passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${n:-0}))
if [[ $rc -ne 0 ]]; then status=1; [[ $failed -eq 0 ]] && failed=1; fi

echo
echo "$passed passed, $failed failed, $skipped skipped"
exit $status

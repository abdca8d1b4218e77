#!/usr/bin/env bash
# The whole market on this machine, as a user meets it (docs/demo.md):
#   scripts/demo.sh [--jobs N] [--exit] [--state-dir DIR] [--no-build] [--timeout S]
# Installs what is missing (runc, busybox-static, node modules), builds, starts a Hardhat node,
# deploys the contracts, starts Market.Api (SQLite) and a provider agent (runc, its real benchmark),
# deposits for a test consumer and submits busybox jobs through the `market` CLI, waits until each
# ran and was settled and finalized on chain, checks every result, and prints a summary table and
# the dashboard URL. Then it keeps the stack running until Ctrl-C, or stops it at once with --exit.
#
#   --jobs N         jobs to submit (default 4)
#   --exit           stop everything right after the summary
#   --state-dir DIR  logs, keys, databases and PIDs (default .demo/ in the repository)
#   --no-build       skip installing and building (everything must already be built)
#   --timeout S      seconds to wait for the jobs to be settled (default 600)
#   -h, --help       this text
# Uses Hardhat's public development keys only; they are never printed. Needs root (runc).
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$ROOT/scripts/lib/demo-stack.sh"
source "$ROOT/scripts/lib/busybox-image.sh"
source "$ROOT/scripts/lib/demo-jobs.sh"

JOBS=4 EXIT_AFTER=false BUILD=true TIMEOUT=600 STATE="$ROOT/.demo"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --jobs) JOBS="${2:-}"; shift; shift || true ;;
    --exit) EXIT_AFTER=true; shift ;;
    --state-dir) STATE="${2:-}"; shift; shift || true ;;
    --no-build) BUILD=false; shift ;;
    --timeout) TIMEOUT="${2:-}"; shift; shift || true ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ "$JOBS" =~ ^[1-9][0-9]*$ && "$JOBS" -le 50 ]] || { echo "--jobs must be a whole number from 1 to 50" >&2; exit 2; }
[[ "$TIMEOUT" =~ ^[1-9][0-9]*$ ]] || { echo "--timeout must be a positive number of seconds" >&2; exit 2; }
[[ -n "$STATE" ]] || { echo "--state-dir needs a directory" >&2; exit 2; }
mkdir -p "$STATE" && STATE="$(cd "$STATE" && pwd)"
[[ $(id -u) -eq 0 ]] || { echo "the provider agent runs jobs in runc containers, which needs root: sudo $0 $*" >&2; exit 2; }
command -v dotnet >/dev/null || { echo "the .NET 10 SDK is needed (https://dot.net)" >&2; exit 1; }
command -v node >/dev/null || { echo "Node.js (20 or later) is needed" >&2; exit 1; }

# Hardhat's public development accounts (tests/Market.TestSupport/DevelopmentKeys.cs): #1 matcher,
# #2 settler (the roles scripts/deploy.js grants on a local chain), #4 the provider, #10 the consumer.
DEV_KEYS=(
  [1]=0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d
  [2]=0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a
  [4]=0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a
  [10]=0xf214f2b2cd398c806f84e317254e0f0b801d0643303237d97a22a48e01628897
)
CHALLENGE_PERIOD=5     # seconds a settlement can be disputed before it is finalized
DEPOSIT=10             # whole tokens the consumer deposits into LeaseEscrow
MAX_PRICE=3            # the consumer's limit per NCU-hour, whole tokens; the agent asks 2
API_DLL="$ROOT/src/Market.Api/bin/Release/net10.0/Market.Api.dll"
AGENT_DLL="$ROOT/src/ProviderAgent/bin/Release/net10.0/provider-agent.dll"
CLI_DLL="$ROOT/src/Market.Cli/bin/Release/net10.0/market.dll"
STARTED=()

# --- a previous demo in the same state dir is stopped, and we start clean ---------------------------
if [[ -d "$STATE/pids" ]]; then
  log "stopping the previous demo's processes"
  echo "taken-over" >"$STATE/run-id"
  stop_recorded "$STATE"
fi
# Only a directory the demo made (or an empty one) is ever wiped.
if [[ -n "$(ls -A "$STATE")" && ! -f "$STATE/.compute-market-demo" ]]; then
  echo "$STATE is not empty and not a demo state dir; choose another --state-dir" >&2; exit 2
fi
find "$STATE" -mindepth 1 -delete
touch "$STATE/.compute-market-demo"
mkdir -p "$STATE"/{logs,pids,keys,api,agent}
# This run's own runc root and cgroup folder, so its containers never mix with another agent's.
RUN_ID="$(printf '%s' "$STATE" | sha256sum | cut -c1-8)-$$"
RUNC_ROOT="/run/compute-market-demo-$RUN_ID/runc" CGROUP_PARENT="compute-market-demo-$RUN_ID"
echo "$RUNC_ROOT" >"$STATE/runc-root"
echo "$CGROUP_PARENT" >"$STATE/cgroup-parent"
echo "$RUN_ID" >"$STATE/run-id"

on_exit() {
  local rc=$?
  trap - EXIT INT TERM
  if ((${#STARTED[@]} > 0)); then
    log "stopping what the demo started"
    stop_started
  fi
  exit "$rc"
}
trap on_exit EXIT
trap 'echo >&2; exit 130' INT TERM

# --- install and build -------------------------------------------------------------------------------
if [[ "$BUILD" == true ]]; then
  ensure_apt runc runc
  ensure_apt /usr/share/doc/busybox-static busybox-static
  step build "npm ci" ensure_node_modules
  step build "hardhat compile" ensure_contracts_compiled
  log "building (Release; log: $STATE/logs/build.log)"
  for proj in src/Market.Api/Market.Api.csproj src/ProviderAgent/ProviderAgent.csproj src/Market.Cli/Market.Cli.csproj; do
    step build "dotnet build $proj" dotnet build "$ROOT/$proj" -c Release --nologo -v quiet -clp:ErrorsOnly
  done
fi
command -v runc >/dev/null || fail "runc is not installed (apt-get install runc)"
[[ -x /bin/busybox && -f /usr/share/doc/busybox-static/copyright ]] || fail "busybox-static is not installed (apt-get install busybox-static)"
for f in "$API_DLL" "$AGENT_DLL" "$CLI_DLL"; do [[ -f "$f" ]] || fail "$f is missing: run without --no-build"; done

# --- secrets: dev keys and a fresh passphrase, in files only this user can read -----------------------
umask 077
for i in 1 2 4 10; do printf '%s\n' "${DEV_KEYS[$i]}" >"$STATE/keys/dev-$i.key"; done
mv "$STATE/keys/dev-1.key" "$STATE/keys/matcher.key"; mv "$STATE/keys/dev-2.key" "$STATE/keys/settler.key"
mv "$STATE/keys/dev-4.key" "$STATE/keys/provider.key"; mv "$STATE/keys/dev-10.key" "$STATE/keys/consumer.key"
head -c 24 /dev/urandom | base64 >"$STATE/keys/passphrase"
umask 022

# --- chain -------------------------------------------------------------------------------------------
CHAIN_PORT=$(free_port)
RPC_URL="http://127.0.0.1:$CHAIN_PORT"
log "starting a Hardhat node on $RPC_URL"
# The node prints its accounts' private keys at start: public dev keys, but keys stay out of logs.
LOG_DROP='Private Key' start_bg hardhat "$ROOT" node node_modules/.bin/hardhat node --hostname 127.0.0.1 --port "$CHAIN_PORT"
wait_for 90 hardhat "the Hardhat node to answer" DEMO_JSON chain-id "$RPC_URL"
log "deploying the contracts (challenge period ${CHALLENGE_PERIOD}s)"
(cd "$ROOT" && step deploy "scripts/deploy.js" env RPC_URL="$RPC_URL" DEPLOYMENTS_OUT="$STATE/deployment.json" CHALLENGE_PERIOD="$CHALLENGE_PERIOD" \
  node node_modules/.bin/hardhat run scripts/deploy.js --network localhost --no-compile)

# --- market API --------------------------------------------------------------------------------------
API_PORT=$(free_port)
API_URL="http://127.0.0.1:$API_PORT"
log "starting Market.Api on $API_URL (SQLite in $STATE/api)"
start_bg api "$STATE/api" env ASPNETCORE_ENVIRONMENT=Production \
  ConnectionStrings__Market="Data Source=$STATE/api/market.db" \
  Market__Chain__RpcUrl="$RPC_URL" Market__Chain__DeploymentFile="$STATE/deployment.json" \
  Market__Chain__MatcherKeyFile="$STATE/keys/matcher.key" Market__Chain__SettlerKeyFile="$STATE/keys/settler.key" \
  Market__Chain__PollMilliseconds=250 Market__Auth__ChainId=31337 Market__Billing__MaxWaitSeconds=2 \
  dotnet "$API_DLL" --urls "$API_URL"
wait_for 120 api "Market.Api to be ready" DEMO_JSON ready "$API_URL"

# --- provider agent ----------------------------------------------------------------------------------
agent() { dotnet "$AGENT_DLL" --data-dir "$STATE/agent" --passphrase-file "$STATE/keys/passphrase" "$@"; }
log "provider agent: benchmarking this machine (2 runs of 1 s)"
step provider "provider-agent init" env NO_COLOR=1 dotnet "$AGENT_DLL" --data-dir "$STATE/agent" --passphrase-file "$STATE/keys/passphrase" init \
  --import-key-file "$STATE/keys/provider.key" --market-url "$API_URL" --rpc-url "$RPC_URL" --deployment-file "$STATE/deployment.json" \
  --bench-runs 2 --bench-seconds 1 --scrypt-n 4096 --region local
CAPACITY=$(DEMO_JSON get "$STATE/agent/agent.json" milliNcu)
[[ "$CAPACITY" =~ ^[1-9][0-9]*$ ]] || fail "the benchmark measured no capacity" provider
GRADE=$(DEMO_JSON grade "$CAPACITY")
build_busybox_image "$STATE/busybox.tar" || fail "building the busybox image"
step provider "provider-agent image import" agent image import "$STATE/busybox.tar" --name busybox:latest
log "provider agent: $CAPACITY mNCU (grade $GRADE); registering, staking and offering it"
step provider "provider-agent register" agent register
step provider "provider-agent offer" agent offer
wait_for 60 api "the market to index the provider's offer" DEMO_JSON ready "$API_URL" 1
start_bg agent "$STATE/agent" env NO_COLOR=1 dotnet "$AGENT_DLL" --data-dir "$STATE/agent" --passphrase-file "$STATE/keys/passphrase" run \
  --runtime runc --runc-root "$RUNC_ROOT" --cgroup-parent "$CGROUP_PARENT"
wait_for 60 agent "the provider agent to be ready" grep -q "ready:" "$STATE/logs/agent.log"

# --- consumer: deposit and jobs through the CLI -------------------------------------------------------
# Each job asks for an equal share of the machine, at least the grade's smallest size, so all of them
# trade in the provider's market (type 0 = CPU, grade $GRADE).
case "$GRADE" in 1) MIN=1000001 ;; 2) MIN=10000 ;; 3) MIN=500 ;; *) MIN=1 ;; esac
JOB_MNCU=$((CAPACITY / JOBS)); ((JOB_MNCU < MIN)) && JOB_MNCU=$MIN
log "consumer: importing a dev key and depositing $DEPOSIT tokens (market deposit)"
consumer_setup
log "submitting $JOBS job(s) with market job submit (max price $MAX_PRICE tokens per NCU-hour)"
submit_jobs "$JOBS" "$JOB_MNCU"
log "waiting until every job ran and its settlement was finalized on chain (up to ${TIMEOUT}s)"
wait_jobs "$TIMEOUT"
verify_jobs
verify_escrow

# --- summary -----------------------------------------------------------------------------------------
echo
DEMO_JSON summary "$STATE/jobs" 6 || fail "writing the summary"
cat "$STATE/jobs/escrow.txt"
echo
echo "dashboard: $API_URL/"
write_cli_env
echo "chain RPC: $RPC_URL   logs: $STATE/logs/"
echo "the CLI against this market: source $STATE/cli.env; market job list"
if [[ "$EXIT_AFTER" == true ]]; then exit 0; fi

echo "The market keeps running; press Ctrl-C to stop everything the demo started."
trap 'echo >&2; exit 0' INT TERM
while :; do
  for c in hardhat api agent; do
    alive "$c" && continue
    sleep 1
    [[ "$(cat "$STATE/run-id" 2>/dev/null)" == "$RUN_ID" ]] || { echo "another demo run took over $STATE; this one ends" >&2; exit 0; }
    fail "$c stopped unexpectedly" "$c"
  done
  sleep 2
done

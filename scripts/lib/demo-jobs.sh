# The consumer half of scripts/demo.sh: the `market` CLI (docs/cli.md) as a user runs it — import
# a dev key, deposit, submit busybox jobs whose output can be checked, follow them until they are
# settled and finalized on chain, and collect what the summary shows. Needs STATE, CLI_DLL, API_URL,
# RPC_URL, and demo-stack.sh.

# market ARGS...: the CLI with this demo's API, chain, keystore and passphrase file (nothing secret on
# a command line or in the environment). HOME is the state dir's, so the CLI's session cache stays
# inside the demo.
market() {
  HOME="$STATE/consumer" MARKET_API="$API_URL" MARKET_RPC="$RPC_URL" MARKET_DEPLOYMENT="$STATE/deployment.json" \
    MARKET_KEYSTORE="$STATE/consumer/key.json" NO_COLOR=1 dotnet "$CLI_DLL" "$@" --passphrase-file "$STATE/keys/passphrase"
}

# write_cli_env: $STATE/cli.env, which a user sources to drive this demo's market with the CLI.
write_cli_env() {
  cat >"$STATE/cli.env" <<ENV
# source $STATE/cli.env — then e.g.: market job list; market markets; market statement
export MARKET_API="$API_URL" MARKET_RPC="$RPC_URL" MARKET_DEPLOYMENT="$STATE/deployment.json"
export MARKET_KEYSTORE="$STATE/consumer/key.json" MARKET_CONFIG_DIR="$STATE/consumer/.config/market"
market() { HOME="$STATE/consumer" dotnet "$CLI_DLL" "\$@" --passphrase-file "$STATE/keys/passphrase"; }
ENV
}

# Job kinds, in turn: each prints one line that the demo recomputes on the host (demo-json.js expect).
JOB_KINDS=(sum sha256 primes fib)

job_param() {
  local kind="$1" i="$2"
  case "$kind" in
    sum) echo $((100000 * i)) ;;
    sha256) echo "$i" ;;
    primes) echo $((5000 + 5000 * i)) ;;
    fib) echo $((80 + i % 13)) ;;
  esac
}

job_script() {
  local kind="$1" p="$2"
  case "$kind" in
    sum) echo "seq 1 $p | awk '{s+=\$1} END {print s}'" ;;
    sha256) echo "printf '%s' 'compute market demo job $p' | sha256sum | cut -d' ' -f1" ;;
    primes) echo "awk 'BEGIN{n=$p;c=0;for(i=2;i<n;i++){p=1;for(j=2;j*j<=i;j++)if(i%j==0){p=0;break};c+=p};print c}'" ;;
    fib) echo "a=0; b=1; i=0; while [ \$i -lt $p ]; do t=\$((a+b)); a=\$b; b=\$t; i=\$((i+1)); done; echo \$a" ;;
  esac
}

# write_spec FILE SCRIPT MILLINCU: a job spec in YAML (the CLI reads YAML or JSON).
write_spec() {
  cat >"$1" <<YAML
# written by scripts/demo.sh
image: "busybox:latest"
command:
  - "sh"
  - "-c"
  - "$2"
milliNcu: $3
maxDurationSec: 120
YAML
}

consumer_setup() {
  mkdir -p "$STATE/consumer"
  step cli "market account import" market account import --key-file "$STATE/keys/consumer.key"
  step cli "market deposit $DEPOSIT" market deposit "$DEPOSIT"
  step cli "market balance" market balance
}

# submit_jobs COUNT MILLINCU: writes and submits COUNT jobs; their ids go to $STATE/jobs/ids.
submit_jobs() {
  local count="$1" mncu="$2" i kind p id
  mkdir -p "$STATE/jobs"
  : >"$STATE/jobs/ids"
  for ((i = 1; i <= count; i++)); do
    kind=${JOB_KINDS[$(((i - 1) % ${#JOB_KINDS[@]}))]}
    p=$(job_param "$kind" "$i")
    write_spec "$STATE/jobs/spec-$i.yaml" "$(job_script "$kind" "$p")" "$mncu"
    printf '\n$ market job submit spec-%s.yaml (%s %s)\n' "$i" "$kind" "$p" >>"$STATE/logs/cli.log"
    market job submit "$STATE/jobs/spec-$i.yaml" --max-price "$MAX_PRICE" --deadline 15m --request-id "demo-$i" --json \
      >"$STATE/jobs/submit-$i.json" 2>>"$STATE/logs/cli.log" || fail "submitting job $i" cli
    id=$(DEMO_JSON get "$STATE/jobs/submit-$i.json" jobId)
    [[ -n "$id" ]] || fail "job $i: the CLI printed no job id" cli
    echo "$id $kind $p" >>"$STATE/jobs/ids"
    log "job $id submitted: $kind $p ($mncu mNCU)"
  done
}

# Statuses that end a job without the result the demo wants.
BAD_STATUSES=" failed timedout expired cancelled rejected refused reclaimed "

# wait_jobs TIMEOUT: until every job is settled (its settlement batch finalized on chain); fails on a
# job that ended badly, on a dead component, or after TIMEOUT seconds.
wait_jobs() {
  local until=$((SECONDS + $1)) id kind p status pending last=""
  while :; do
    pending=0
    while read -r id kind p; do
      [[ -f "$STATE/jobs/status-$id.json" && -f "$STATE/jobs/settlement-$id.json" ]] && continue
      market job status "$id" --json >"$STATE/jobs/poll-$id.json" 2>>"$STATE/logs/cli.log" || fail "market job status $id" cli
      status=$(DEMO_JSON get "$STATE/jobs/poll-$id.json" status)
      [[ "$BAD_STATUSES" == *" $status "* ]] && fail "job $id ($kind) ended '$status': $(DEMO_JSON get "$STATE/jobs/poll-$id.json" lease.agentDetail)" agent
      if [[ "$status" == settled ]]; then
        market job settlement "$id" --json >"$STATE/jobs/settlement-$id.json" 2>>"$STATE/logs/cli.log" || fail "market job settlement $id" cli
        mv "$STATE/jobs/poll-$id.json" "$STATE/jobs/status-$id.json"
        log "job $id settled and finalized"
      else
        pending=$((pending + 1))
        [[ "$status" != "$last" ]] && last="$status"
      fi
    done <"$STATE/jobs/ids"
    ((pending == 0)) && return 0
    for c in hardhat api agent; do alive "$c" || fail "$c exited while jobs were in flight" "$c"; done
    ((SECONDS < until)) || fail "timed out after $1 s: $pending job(s) not settled yet (see market job status)" api
    sleep 2
  done
}

# verify_jobs: each job's output equals the value computed here, it exited 0, the settlement is
# final, and the lease-open, settlement and finalize transactions succeeded on chain.
verify_jobs() {
  local id kind p expected got state tx
  while read -r id kind p; do
    market job result "$id" -o "$STATE/jobs/result-$id.txt" >>"$STATE/logs/cli.log" 2>&1 || fail "market job result $id" cli
    expected=$(DEMO_JSON expect "$kind" "$p")
    got=$(tr -d '\n' <"$STATE/jobs/result-$id.txt")
    [[ "$got" == "$expected" ]] || fail "job $id ($kind $p) printed '$got', expected '$expected'" agent
    [[ "$(DEMO_JSON get "$STATE/jobs/status-$id.json" lease.exitCode)" == 0 ]] || fail "job $id exited non-zero" agent
    state=$(DEMO_JSON get "$STATE/jobs/settlement-$id.json" state)
    [[ "$state" == settled ]] || fail "job $id: settlement state '$state', expected settled" api
    for tx in "$(DEMO_JSON get "$STATE/jobs/status-$id.json" lease.openTx)" \
      "$(DEMO_JSON get "$STATE/jobs/settlement-$id.json" proposeTx)" "$(DEMO_JSON get "$STATE/jobs/settlement-$id.json" settleTx)"; do
      [[ -n "$tx" ]] || fail "job $id: a transaction hash is missing from its status or settlement" api
      DEMO_JSON receipt "$RPC_URL" "$tx" || fail "job $id: transaction $tx is not a successful transaction on the chain" hardhat
    done
    echo "$kind = $got ✓" >"$STATE/jobs/check-$id.txt"
  done <"$STATE/jobs/ids"
}

# verify_escrow: the consumer's escrow on chain (market balance) is the deposit minus what the jobs
# paid plus any penalties, with nothing left locked: the money adds up to the base unit.
verify_escrow() {
  market balance --json >"$STATE/jobs/balance.json" 2>>"$STATE/logs/cli.log" || fail "market balance" cli
  DEMO_JSON escrow "$STATE/jobs" "$DEPOSIT" >"$STATE/jobs/escrow.txt" || fail "$(cat "$STATE/jobs/escrow.txt")" cli
}

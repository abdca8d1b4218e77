# Process bookkeeping for scripts/demo.sh. Source it after lib.sh; needs STATE (the demo state dir).
# Every process the demo starts is recorded in $STATE/pids/<name>.pid as "PID STARTTIME", so a later
# run (or Ctrl-C) stops exactly those processes and never a reused PID or someone else's server.

DEMO_JSON() { node "$ROOT/scripts/lib/demo-json.js" "$@"; }

# proc_start PID: the process's start time (field 22 of /proc/PID/stat), empty when it is gone.
proc_start() {
  [[ -r /proc/$1/stat ]] || return 0
  sed -E 's/^.*\) //' "/proc/$1/stat" 2>/dev/null | awk '{print $20}'
}

# start_bg NAME DIR CMD...: runs CMD in DIR in its own session (so a Ctrl-C reaches only this script,
# which then stops everything in order), output to $STATE/logs/NAME.log, and records its PID (the
# subshell execs setsid, which execs CMD: one PID throughout) in the pid file and in STARTED.
# LOG_DROP (an extended regex) keeps matching lines out of the log.
start_bg() {
  local name="$1" dir="$2" log; shift 2
  mkdir -p "$STATE/pids" "$STATE/logs"
  log="$STATE/logs/$name.log"
  if [[ -n "${LOG_DROP:-}" ]]; then
    (cd "$dir" && exec setsid "$@") > >(grep --line-buffered -v -E "$LOG_DROP" >"$log") 2>&1 </dev/null &
  else
    (cd "$dir" && exec setsid "$@") >"$log" 2>&1 </dev/null &
  fi
  local pid=$!
  echo "$pid $(proc_start "$pid")" >"$STATE/pids/$name.pid"
  STARTED=("$name $(cat "$STATE/pids/$name.pid")" "${STARTED[@]}")
}

# stop_pid PID START: SIGTERM, up to 20 s to exit, then SIGKILL — only if PID still is the process
# that started at START (a reused PID is left alone).
stop_pid() {
  local pid="$1" start="$2"
  [[ -n "$pid" && -n "$start" && "$(proc_start "$pid")" == "$start" ]] || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 200); do [[ "$(proc_start "$pid")" == "$start" ]] || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}

# alive NAME: the process this run started as NAME is still running.
alive() {
  local entry name pid start
  for entry in "${STARTED[@]}"; do
    read -r name pid start <<<"$entry"
    [[ "$name" == "$1" ]] && { [[ "$(proc_start "$pid")" == "$start" ]]; return; }
  done
  return 1
}

# stop_started: this run's processes, newest first (agent, API, chain), then its runc containers.
stop_started() {
  local entry name pid start
  for entry in "${STARTED[@]}"; do read -r name pid start <<<"$entry"; stop_pid "$pid" "$start"; done
  STARTED=()
  clean_runc "$RUNC_ROOT" "$CGROUP_PARENT"
}

# stop_recorded DIR: stops what a previous run recorded in DIR (pid files, runc root, cgroup).
stop_recorded() {
  local dir="$1" name pid start
  for name in agent api hardhat; do
    [[ -f "$dir/pids/$name.pid" ]] && read -r pid start <"$dir/pids/$name.pid" && stop_pid "$pid" "$start"
  done
  clean_runc "$(cat "$dir/runc-root" 2>/dev/null)" "$(cat "$dir/cgroup-parent" 2>/dev/null)"
}

# clean_runc ROOT CGROUP: removes the containers left in a demo's own runc root (the agent leaves
# running ones for its next start) and its cgroup folders.
clean_runc() {
  local root="$1" cg="$2" id d
  if [[ -n "$root" && -d "$root" ]]; then
    if command -v runc >/dev/null; then
      for id in $(runc --root "$root" list -q 2>/dev/null); do runc --root "$root" delete --force "$id" >/dev/null 2>&1 || true; done
    fi
    rm -rf "$root"
    rmdir "$(dirname "$root")" 2>/dev/null
  fi
  if [[ -n "$cg" ]]; then
    for d in /sys/fs/cgroup/*/"$cg" /sys/fs/cgroup/"$cg"; do [[ -d "$d" ]] && rmdir "$d"/* "$d" 2>/dev/null; done
  fi
  return 0
}

# fail MESSAGE [COMPONENT]: a clear message, the tail of that component's log, then exit 1 (the EXIT
# trap stops what was started).
fail() {
  local msg="$1" comp="${2:-}"
  printf '\033[1;31mdemo failed:\033[0m %s\n' "$msg" >&2
  if [[ -n "$comp" && -f "$STATE/logs/$comp.log" ]]; then
    printf -- '--- last lines of %s ---\n' "$STATE/logs/$comp.log" >&2
    tail -n 25 "$STATE/logs/$comp.log" >&2
    printf -- '---\n' >&2
  fi
  echo "all logs: $STATE/logs/" >&2
  exit 1
}

# step COMPONENT DESCRIPTION CMD...: runs CMD with its output appended to the component's log.
step() {
  local comp="$1" what="$2"; shift 2
  mkdir -p "$STATE/logs"
  printf '\n$ %s\n' "$what" >>"$STATE/logs/$comp.log"
  "$@" >>"$STATE/logs/$comp.log" 2>&1 || fail "$what" "$comp"
}

# wait_for SECONDS COMPONENT DESCRIPTION CMD...: polls CMD until it succeeds; fails when the component
# died or the time is up.
wait_for() {
  local secs="$1" comp="$2" what="$3"; shift 3
  local until=$((SECONDS + secs))
  until "$@" >/dev/null 2>&1; do
    alive "$comp" || fail "$comp exited while waiting for: $what" "$comp"
    ((SECONDS < until)) || fail "timed out after ${secs}s waiting for: $what" "$comp"
    sleep 0.5
  done
}

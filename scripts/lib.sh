# Shared helpers for the entry-point scripts. Source it; do not run it.
# Installs only what is missing, so a second run is fast and a fresh Debian 12
# machine with just the .NET SDK and Node.js gets everything it needs.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

log() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }

_apt_updated=0
# ensure_apt PROBE PACKAGE: install PACKAGE with apt-get when PROBE is absent. PROBE is a
# command name, or an absolute path (globs allowed, e.g. /usr/lib/postgresql/*/bin/initdb).
ensure_apt() {
  local probe="$1" pkg="$2"
  if [[ "$probe" == /* ]]; then compgen -G "$probe" >/dev/null && return 0
  else command -v "$probe" >/dev/null 2>&1 && return 0; fi
  local sudo=""; [[ $(id -u) -ne 0 ]] && sudo="sudo"
  if [[ $_apt_updated -eq 0 ]]; then
    log "apt-get update"
    $sudo apt-get update -qq >/dev/null
    _apt_updated=1
  fi
  log "installing $pkg"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$pkg" >/dev/null
}

# ensure_node_modules: npm ci when node_modules is missing or older than the lockfile.
ensure_node_modules() {
  if [[ ! -d "$ROOT/node_modules/hardhat" || "$ROOT/package-lock.json" -nt "$ROOT/node_modules/.package-lock.json" ]]; then
    log "npm ci"
    (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

ensure_contracts_compiled() {
  log "compiling contracts"
  (cd "$ROOT" && node node_modules/.bin/hardhat compile --quiet)
}

# free_port: an unused TCP port on 127.0.0.1, chosen by the kernel.
free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close();});'
}

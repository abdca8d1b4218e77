#!/usr/bin/env bash
# One-command install of the provider agent on a Debian/Ubuntu host:
#   sudo scripts/install-agent.sh [--prefix /opt/provider-agent] [--bin-dir /usr/local/bin] [--self-contained]
# Installs runc and busybox-static when missing (apt-get), publishes src/ProviderAgent into
# <prefix>/lib and puts a `provider-agent` wrapper in <bin-dir>. Re-running upgrades in place;
# the data directory (/var/lib/provider-agent: key, config, images, state) is never touched.
# Then: provider-agent init → register → offer → run (README "Running a provider agent").
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PREFIX=/opt/provider-agent
BIN_DIR=/usr/local/bin
SELF_CONTAINED=false
while [[ $# -gt 0 ]]; do
  case "$1" in
    --prefix) PREFIX="$2"; shift 2 ;;
    --bin-dir) BIN_DIR="$2"; shift 2 ;;
    --self-contained) SELF_CONTAINED=true; shift ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done

command -v dotnet >/dev/null || { echo "the .NET 10 SDK is needed to build the agent (https://dot.net)" >&2; exit 1; }
ensure_apt runc runc
ensure_apt /usr/share/doc/busybox-static busybox-static

# Market.Chain's contract bindings are generated from the Hardhat artifacts.
if ! compgen -G "$ROOT/artifacts/contracts/*.sol" >/dev/null; then
  ensure_node_modules
  ensure_contracts_compiled
fi

log "publishing the agent to $PREFIX/lib"
staging="$(mktemp -d)"
trap 'rm -rf "$staging"' EXIT
args=(publish "$ROOT/src/ProviderAgent/ProviderAgent.csproj" -c Release -o "$staging" --nologo -v quiet -clp:ErrorsOnly)
if [[ "$SELF_CONTAINED" == true ]]; then args+=(--self-contained true -r linux-x64); else args+=(--self-contained false); fi
dotnet "${args[@]}"
mkdir -p "$PREFIX" "$BIN_DIR"
rm -rf "$PREFIX/lib.new" && cp -a "$staging" "$PREFIX/lib.new"
rm -rf "$PREFIX/lib.old" && { [[ -d "$PREFIX/lib" ]] && mv "$PREFIX/lib" "$PREFIX/lib.old" || true; }
mv "$PREFIX/lib.new" "$PREFIX/lib" && rm -rf "$PREFIX/lib.old"

cat > "$BIN_DIR/provider-agent" <<WRAPPER
#!/bin/sh
# Installed by scripts/install-agent.sh
exec "$PREFIX/lib/provider-agent" "\$@"
WRAPPER
chmod 755 "$BIN_DIR/provider-agent"
log "installed: $("$BIN_DIR/provider-agent" --version 2>/dev/null || echo provider-agent) at $BIN_DIR/provider-agent"
log "next: provider-agent init --market-url <url> --rpc-url <url> --deployment-file <file>"

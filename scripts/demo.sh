#!/usr/bin/env bash
# `make demo`: the example page (www/) against the local gateway, from a fresh
# machine. Installs what is missing, builds pkg/ and migo-mock, then serves
# the API (/rest), www/ (/) and pkg/ (/pkg) on one origin until Ctrl-C.
#   PORT=8091 make demo     # another port (default 8080; 0 picks a free one)
set -euo pipefail
cd "$(dirname "$0")/.."

port=${PORT:-8080}
case $port in
  '' | *[!0-9]*)
    echo "demo: PORT must be a port number, got '$port'" >&2
    exit 2
    ;;
esac
step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

bash scripts/setup.sh
step "building pkg/"
bash scripts/build-pkg.sh
step "building the local gateway"
cargo build --quiet -p migo-mock

# The gateway runs as our child. Its stdin is a pipe only this script holds
# open (--lifeline): however the script ends, even by SIGKILL, the pipe
# closes and the gateway exits, so no orphan is left listening on the port.
# Its stdout is read here for the address it actually bound.
run_dir=$(mktemp -d "${TMPDIR:-/tmp}/migo-demo.XXXXXX")
gateway_pid=
cleanup() {
  local status=$?
  trap - EXIT INT TERM HUP
  exec 3>&- 4<&-
  if [ -n "$gateway_pid" ] && kill -0 "$gateway_pid" 2>/dev/null; then
    kill -TERM "$gateway_pid" 2>/dev/null || true
    # It exits at once on SIGTERM; should it hang, it does not outlive us.
    for _ in 1 2 3 4 5 6 7 8 9 10; do
      kill -0 "$gateway_pid" 2>/dev/null || break
      sleep 0.5
    done
    kill -KILL "$gateway_pid" 2>/dev/null || true
    wait "$gateway_pid" 2>/dev/null || true
  fi
  rm -rf "$run_dir"
  [ "$status" -ne 0 ] || echo "demo: stopped" >&2
  exit "$status"
}
trap cleanup EXIT
# Ctrl-C is the way to stop the demo: a clean stop, not a failure.
trap 'exit 0' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

mkfifo "$run_dir/lifeline" "$run_dir/stdout"
target/debug/migo-mock --host 127.0.0.1 --port "$port" \
  --static /=www --static /pkg=pkg --lifeline \
  <"$run_dir/lifeline" >"$run_dir/stdout" &
gateway_pid=$!
# Same order as the child opens them, so neither side blocks for good.
exec 3>"$run_dir/lifeline" 4<"$run_dir/stdout"

if ! IFS= read -r -t 60 -u 4 line || [[ $line != "listening on http://"* ]]; then
  echo "demo: the local gateway did not start (is port $port in use? try PORT=8091 make demo)" >&2
  exit 1
fi
url=${line#listening on }

printf '\n\033[1mmigo-cards example page\033[0m (local gateway: API under /rest, token migo-test-token)\n'
printf 'Open %s/\n' "$url"
printf 'Press Ctrl-C to stop.\n\n'

# Until Ctrl-C (the INT trap exits, and cleanup stops the gateway) or until
# the gateway ends on its own.
set +e
wait "$gateway_pid"
gateway_status=$?
set -e
gateway_pid=
[ "$gateway_status" -eq 0 ] || echo "demo: the local gateway exited with status $gateway_status" >&2
exit "$gateway_status"

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds Chatterbox and runs it on this machine: the server with the development sign-in (and,
# with no database configured, its own PostgreSQL in the user's data directory, on a Unix socket
# only), a demo party with two demo members who are online, and the desktop app pointed at it,
# holding the demo party's invite link. Without a display it leaves the server running and says
# where to connect. Ctrl+C stops everything it started.
#
# If the server stops by itself, run.sh says why and leaves the app open: it shows that it is
# offline and reconnects when the server is back. CHATTERBOX_SKIP_BUILD=1 uses the build that is
# there (in $CHATTERBOX_BUILD_DIR, default ./build) without installing or building first.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${CHATTERBOX_BUILD_DIR:-$root/build}
if [[ ${CHATTERBOX_SKIP_BUILD:-} != 1 ]]; then
    "$root/scripts/install-deps.sh"
    CHATTERBOX_BUILD_DIR=$build "$root/scripts/build.sh"
fi

listen=${CHATTERBOX_LISTEN:-127.0.0.1:8080}
base=http://$listen
scratch=$(mktemp -d)
children=()
stop_all() {
    trap - EXIT INT TERM
    for pid in "${children[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    wait 2>/dev/null || true
    rm -rf "$scratch"
}
trap stop_all EXIT
trap 'exit 130' INT TERM

"$build/server/chatterbox-server" --listen "$listen" --dev "$@" &
server=$!
children+=("$server")
for _ in $(seq 1 240); do
    curl -fsS "$base/healthz" >/dev/null 2>&1 && break
    kill -0 "$server" 2>/dev/null || { echo "chatterbox-server stopped; see its messages above."; exit 1; }
    sleep 0.5
done

"$build/tools/chatterbox-demo" --server "$base" --link-file "$scratch/link" >/dev/null &
children+=("$!")
for _ in $(seq 1 60); do
    [[ -s "$scratch/link" ]] && break
    sleep 0.5
done
link=$(cat "$scratch/link" 2>/dev/null || true)

echo
echo "Chatterbox is running on $base (development sign-in on), with a demo party."
[[ -n $link ]] && echo "Invite someone else to the demo party with:  $link"
app=
if [[ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]]; then
    "$build/app/chatterbox" --server "$base" -- $link &
    app=$!
    children+=("$app")
    echo "The app is open: click \"Continue with Development sign-in\", pick a name in the browser,"
    echo "and join the demo party when the app asks."
else
    echo "There is no display here, so no app window. The server keeps running; from a machine with"
    echo "a display, open the app with:  chatterbox --server $base -- ${link:-<invite link>}"
fi
echo "Press Ctrl+C to stop everything."

status=0
wait "$server" || status=$?
if (( status > 128 )); then
    why="was stopped by signal $(kill -l $((status - 128)) 2>/dev/null || echo $((status - 128)))"
else
    why="exited with status $status"
fi
echo
echo "chatterbox-server $why; its last messages are above."
if [[ -n $app ]] && kill -0 "$app" 2>/dev/null; then
    echo "The app stays open: it shows that it is offline and reconnects by itself when the server is back."
    echo "Start the server again with:  $build/server/chatterbox-server --listen $listen --dev $*"
    echo "Press Ctrl+C to stop the app as well."
    wait "$app" || true
fi
exit "$status"

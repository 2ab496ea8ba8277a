#!/usr/bin/env bash
# Builds Chatterbox and starts it on this machine: a private PostgreSQL (in the user's data
# directory, Unix socket only) and chatterbox-server with the development sign-in.
# Ctrl+C stops both.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh"

if [[ $(id -u) -eq 0 ]]; then
    # PostgreSQL runs as the "postgres" user, which cannot enter root's home.
    data=/var/lib/chatterbox/dev-postgres
else
    data=${XDG_DATA_HOME:-$HOME/.local/share}/chatterbox/dev-postgres
fi
mkdir -p "$(dirname "$data")"
admin=$("$root/scripts/postgres.sh" start "$data")
trap '"$root/scripts/postgres.sh" stop "$data"' EXIT
psql "$admin" -qtAc "SELECT 1 FROM pg_database WHERE datname = 'chatterbox'" | grep -q 1 ||
    psql "$admin" -qc "CREATE DATABASE chatterbox"

listen=${CHATTERBOX_LISTEN:-127.0.0.1:8080}
echo
echo "Chatterbox is starting on http://$listen (development sign-in: POST /auth/dev {\"name\": \"...\"})"
echo "Press Ctrl+C to stop."
"$root/build/server/chatterbox-server" \
    --database-url "postgresql://chatterbox@/chatterbox?host=$data" \
    --listen "$listen" --dev &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; "$root/scripts/postgres.sh" stop "$data"' EXIT
wait $server

#!/usr/bin/env bash
# Builds Chatterbox and starts the server on this machine with the development sign-in. With no
# database configured, the server creates and runs its own PostgreSQL (in the user's data
# directory, Unix socket only) and stops it when it stops. Ctrl+C stops everything.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh"

listen=${CHATTERBOX_LISTEN:-127.0.0.1:8080}
echo
echo "Chatterbox is starting on http://$listen"
echo "  sign in for development: curl -X POST http://$listen/auth/dev -d '{\"name\":\"you\"}'"
echo "Press Ctrl+C to stop."
exec "$root/build/server/chatterbox-server" --listen "$listen" --dev "$@"

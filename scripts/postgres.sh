#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# A private PostgreSQL cluster for development and tests: its own data directory, listening on a
# Unix socket only (no TCP port), trusted local access for the user "chatterbox".
#
#   scripts/postgres.sh start DATA_DIR   initialise if needed, start, print the connection URL
#   scripts/postgres.sh stop DATA_DIR    stop it (fast shutdown)
#   scripts/postgres.sh crash DATA_DIR   stop it as a crash would (immediate: no checkpoint)
#   scripts/postgres.sh url DATA_DIR     print the connection URL of the "postgres" database
#
# PostgreSQL refuses to run as root; when run as root, the cluster runs as the "postgres" system
# user that Debian's postgresql package creates.
set -euo pipefail

cmd=${1:-}
data=${2:-}
if [[ -z "$cmd" || -z "$data" ]]; then
    echo "usage: $0 start|stop|crash|url DATA_DIR" >&2
    exit 2
fi

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [[ -z "$bindir" || ! -x "$bindir/initdb" ]]; then
    echo "PostgreSQL server binaries not found: install them with 'apt-get install postgresql'" >&2
    exit 1
fi

as_owner() {
    if [[ $(id -u) -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

url() {
    echo "postgresql://chatterbox@/postgres?host=$data"
}

case "$cmd" in
start)
    mkdir -p "$data"
    if [[ $(id -u) -eq 0 ]]; then
        chown postgres:postgres "$data"
    fi
    chmod 700 "$data"
    if [[ ! -f "$data/PG_VERSION" ]]; then
        as_owner "$bindir/initdb" --pgdata="$data" --username=chatterbox --auth=trust \
            --encoding=UTF8 --locale=C.UTF-8 >"$data.initdb.log" 2>&1 || {
            cat "$data.initdb.log" >&2
            exit 1
        }
    fi
    if ! as_owner "$bindir/pg_ctl" status --pgdata="$data" >/dev/null 2>&1; then
        as_owner "$bindir/pg_ctl" start --pgdata="$data" --wait --log="$data/server.log" \
            --options="-c listen_addresses='' -c unix_socket_directories='$data' -c max_connections=200 -c fsync=on" \
            >/dev/null || {
            cat "$data/server.log" >&2
            exit 1
        }
    fi
    url
    ;;
stop)
    if [[ -f "$data/PG_VERSION" ]]; then
        as_owner "$bindir/pg_ctl" stop --pgdata="$data" --mode=fast --wait >/dev/null 2>&1 || true
    fi
    ;;
crash)
    as_owner "$bindir/pg_ctl" stop --pgdata="$data" --mode=immediate --wait >/dev/null
    ;;
url)
    url
    ;;
*)
    echo "usage: $0 start|stop|crash|url DATA_DIR" >&2
    exit 2
    ;;
esac

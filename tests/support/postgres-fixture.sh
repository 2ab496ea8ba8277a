#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# CTest fixture: one private PostgreSQL cluster for the whole test run.
#   start URL_FILE   start a cluster in a fresh directory under /tmp; write its URL to URL_FILE
#   stop URL_FILE    stop that cluster and remove its directory
# The data directory lives under /tmp (not the build tree) so that, when tests run as root, the
# "postgres" user that runs the cluster can reach it whatever the permissions of the checkout.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
postgres="$here/../../scripts/postgres.sh"
cmd=$1
file=$2

case "$cmd" in
start)
    if [[ -f "$file.dir" ]]; then
        "$postgres" stop "$(cat "$file.dir")" || true
        rm -rf "$(cat "$file.dir")"
    fi
    dir=$(mktemp -d /tmp/chatterbox-test-pg.XXXXXX)
    chmod 755 "$dir"
    echo "$dir" >"$file.dir"
    "$postgres" start "$dir/data" >"$file"
    echo "test PostgreSQL running: $(cat "$file")"
    ;;
stop)
    if [[ -f "$file.dir" ]]; then
        dir=$(cat "$file.dir")
        "$postgres" stop "$dir/data"
        rm -rf "$dir" "$file" "$file.dir"
    fi
    ;;
esac

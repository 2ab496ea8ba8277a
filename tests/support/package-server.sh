#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the server .deb, checks what it holds and that lintian finds no error in it, and runs the
# packaged binary from a scratch root with its own PostgreSQL until /healthz answers 200.
set -euo pipefail
build=$1
scratch=$(mktemp -d /tmp/chatterbox-package.XXXXXX)
chmod 755 "$scratch"
server=
cleanup() {
    if [[ -n "$server" ]]; then
        kill "$server" 2>/dev/null || true
        wait "$server" 2>/dev/null || true
    fi
    rm -rf "$scratch"
}
trap cleanup EXIT
(cd "$build" && cpack -G DEB -B "$scratch/out" >/dev/null)
deb=$(ls "$scratch"/out/chatterbox-server_*.deb)
contents=$(dpkg-deb -c "$deb")
for path in ./usr/bin/chatterbox-server ./usr/lib/systemd/system/chatterbox-server.service \
            ./usr/share/doc/chatterbox-server/operating.md ./usr/share/doc/chatterbox-server/scaling.md \
            ./usr/share/doc/chatterbox-server/examples/chatterbox.conf ./usr/share/doc/chatterbox-server/examples/chatterbox-instances.conf \
            ./usr/share/doc/chatterbox-server/copyright ./usr/share/doc/chatterbox-server/changelog.gz \
            ./usr/share/man/man1/chatterbox-server.1.gz; do
    grep -q " $path\$" <<<"$contents" || { echo "missing from the package: $path"; exit 1; }
done
dpkg-deb -I "$deb" postinst | grep -q "adduser --system" || { echo "postinst does not create the user"; exit 1; }
dpkg-deb -I "$deb" postinst | grep -q "CREATE DATABASE chatterbox" || { echo "postinst does not create the database"; exit 1; }
dpkg-deb -I "$deb" prerm | grep -q "systemctl stop" || { echo "prerm does not stop the service"; exit 1; }
dpkg-deb -I "$deb" postrm | grep -q "systemctl disable" || { echo "postrm does not disable the service"; exit 1; }
depends=$(dpkg-deb -f "$deb" Depends)
for dependency in libpqxx postgresql adduser; do
    grep -q "$dependency" <<<"$depends" || { echo "Depends misses $dependency: $depends"; exit 1; }
done
"$(dirname "$0")/lintian-clean.sh" "$deb"
dpkg-deb -x "$deb" "$scratch/root"
# A random port may be taken by another test running beside this one: a server that exits at
# once is tried again on another. Its first start makes a PostgreSQL cluster, which takes a while
# on a loaded machine.
for attempt in 1 2 3; do
    port=$(( 20000 + RANDOM % 20000 ))
    "$scratch/root/usr/bin/chatterbox-server" --data-dir "$scratch/pg" --listen "127.0.0.1:$port" \
        --ws-listen "127.0.0.1:$((port + 1))" >"$scratch/server.log" 2>&1 &
    server=$!
    for _ in $(seq 1 240); do
        if curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; then
            echo "packaged server answered /healthz with 200"
            exit 0
        fi
        kill -0 "$server" 2>/dev/null || break
        sleep 0.5
    done
    echo "attempt $attempt: no answer on port $port"
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    server=
done
cat "$scratch/server.log"
exit 1

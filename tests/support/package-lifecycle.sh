#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Both .deb packages through what a machine does with them: install, upgrade, remove, purge,
# checking what each step leaves. The server package is run as its unit runs it, as the
# chatterbox user against the system's PostgreSQL (the main cluster, peer authentication over
# /run/postgresql). It changes the machine, so it runs as root only (CI is); elsewhere it says
# so and is skipped (exit 77).
set -euo pipefail
build=$1
if [[ $(id -u) -ne 0 ]]; then
    echo "skipped: installs packages into this machine, so it runs as root only"
    exit 77
fi
if dpkg-query -W -f='${Status}' chatterbox-server 2>/dev/null | grep -q "installed" \
    || dpkg-query -W -f='${Status}' chatterbox 2>/dev/null | grep -q "installed"; then
    echo "skipped: Chatterbox packages are installed on this machine already; this test would replace them"
    exit 77
fi

scratch=$(mktemp -d /tmp/chatterbox-lifecycle.XXXXXX)
chmod 755 "$scratch"
cluster=$(pg_lsclusters -h | awk '$2 == "main" { print $1; exit }')
[[ -n "$cluster" ]] || { echo "no main PostgreSQL cluster on this machine"; exit 1; }
cluster_was_down=
pg_lsclusters -h | awk -v v="$cluster" '$1 == v && $2 == "main"' | grep -q online || cluster_was_down=1
server=
cleanup() {
    if [[ -n "$server" ]]; then
        kill "$server" 2>/dev/null || true
        wait "$server" 2>/dev/null || true
    fi
    dpkg --purge chatterbox-server chatterbox >/dev/null 2>&1 || true
    if [[ -n "$cluster_was_down" ]]; then
        (cd / && runuser -u postgres -- psql -X -q -c 'DROP DATABASE IF EXISTS chatterbox' -c 'DROP ROLE IF EXISTS chatterbox') >/dev/null 2>&1 || true
        pg_ctlcluster "$cluster" main stop >/dev/null 2>&1 || true
    fi
    rm -rf "$scratch"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }
as_postgres() { (cd / && runuser -u postgres -- psql -X -q -t -A "$@"); }

(cd "$build" && cpack -G DEB -B "$scratch/out" >/dev/null)
server_deb=$(ls "$scratch"/out/chatterbox-server_*.deb)
app_deb=$(ls "$scratch"/out/chatterbox_*.deb)
# The upgrade: the same package as the next version, as a distribution's update would bring it.
dpkg-deb -R "$server_deb" "$scratch/next"
sed -i 's/^Version: .*/&+1/' "$scratch/next/DEBIAN/control"
dpkg-deb -b --root-owner-group "$scratch/next" "$scratch/chatterbox-server-next.deb" >/dev/null

[[ -n "$cluster_was_down" ]] && pg_ctlcluster "$cluster" main start

# Install: the user, the role and database, the unit.
dpkg -i "$server_deb" >"$scratch/install.log" 2>&1 || { cat "$scratch/install.log"; fail "the server package does not install"; }
getent passwd chatterbox >/dev/null || fail "no chatterbox user"
[[ $(as_postgres -c "SELECT rolname FROM pg_roles WHERE rolname = 'chatterbox'") == chatterbox ]] || fail "no chatterbox role"
[[ $(as_postgres -c "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = 'chatterbox'") == chatterbox ]] \
    || fail "no chatterbox database owned by the chatterbox role"
[[ -f /usr/lib/systemd/system/chatterbox-server.service ]] || fail "the unit is not installed"
[[ -f /usr/share/man/man1/chatterbox-server.1.gz ]] || fail "no manual page"
url=$(sed -n 's/^Environment=CHATTERBOX_DATABASE_URL=//p' /usr/lib/systemd/system/chatterbox-server.service)
[[ -n "$url" ]] || fail "the unit names no database"

# The packaged server, as its unit runs it: the chatterbox user, the unit's database URL.
serve() {
    local port=$(( 20000 + RANDOM % 20000 ))
    # setpriv execs the server itself (runuser would stand between as a session), so the
    # signal and the exit status are the server's.
    setpriv --reuid=chatterbox --regid=chatterbox --init-groups -- env -i PATH=/usr/bin:/bin "CHATTERBOX_DATABASE_URL=$url" \
        /usr/bin/chatterbox-server --listen "127.0.0.1:$port" --ws-listen "127.0.0.1:$((port + 1))" \
        >"$scratch/server.log" 2>&1 &
    server=$!
    for _ in $(seq 1 120); do
        if curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; then
            kill "$server"
            wait "$server" || fail "the server did not stop cleanly: $(cat "$scratch/server.log")"
            server=
            return 0
        fi
        kill -0 "$server" 2>/dev/null || break
        sleep 0.5
    done
    cat "$scratch/server.log"
    fail "the packaged server did not answer /healthz on the system's PostgreSQL"
}
serve
tables=$(as_postgres -d chatterbox -c "SELECT count(*) FROM pg_tables WHERE tableowner = 'chatterbox'")
(( tables > 5 )) || fail "the server did not make its schema in the system's database ($tables tables)"
as_postgres -d chatterbox -c "INSERT INTO users (display_name) VALUES ('kept through the upgrade')" >/dev/null \
    || fail "cannot write to the chatterbox database"

# Upgrade: the data stays, the new version serves.
dpkg -i "$scratch/chatterbox-server-next.deb" >"$scratch/upgrade.log" 2>&1 || { cat "$scratch/upgrade.log"; fail "the upgrade failed"; }
[[ $(dpkg-query -W -f='${Version}' chatterbox-server) == *+1 ]] || fail "the upgrade did not install the new version"
[[ $(as_postgres -d chatterbox -c "SELECT count(*) FROM users WHERE display_name = 'kept through the upgrade'") == 1 ]] \
    || fail "the upgrade lost data"
serve

# Remove: the files go, the user and the database (people's messages) stay.
dpkg -r chatterbox-server >"$scratch/remove.log" 2>&1 || { cat "$scratch/remove.log"; fail "remove failed"; }
[[ ! -e /usr/bin/chatterbox-server && ! -e /usr/lib/systemd/system/chatterbox-server.service ]] || fail "remove left the binary or the unit"
[[ ! -e /etc/systemd/system/multi-user.target.wants/chatterbox-server.service ]] || fail "remove left the service enabled"
getent passwd chatterbox >/dev/null || fail "remove deleted the user that owns the data"
[[ $(as_postgres -c "SELECT 1 FROM pg_database WHERE datname = 'chatterbox'") == 1 ]] || fail "remove dropped the database"
dpkg --purge chatterbox-server >"$scratch/purge.log" 2>&1 || { cat "$scratch/purge.log"; fail "purge failed"; }
dpkg-query -W -f='${Status}' chatterbox-server 2>/dev/null | grep -q "installed" && fail "purge left the package known"
[[ ! -e /usr/share/doc/chatterbox-server ]] || fail "purge left /usr/share/doc/chatterbox-server"
[[ $(as_postgres -c "SELECT 1 FROM pg_database WHERE datname = 'chatterbox'") == 1 ]] || fail "purge dropped the database"
echo "server package: install, upgrade, remove and purge leave what they should"

# The app: install, start, remove, purge.
dpkg -i "$app_deb" >"$scratch/app.log" 2>&1 || { cat "$scratch/app.log"; fail "the app package does not install"; }
env -u DISPLAY -u WAYLAND_DISPLAY -u QT_QPA_PLATFORM HOME="$scratch/home" /usr/bin/chatterbox --version | grep -q "^chatterbox [0-9]" \
    || fail "the installed app does not answer --version"
[[ -f /usr/share/applications/org.chatterbox.Chatterbox.desktop && -f /usr/share/man/man1/chatterbox.1.gz ]] \
    || fail "the desktop entry or the manual page is missing"
dpkg -r chatterbox >/dev/null 2>&1 || fail "removing the app failed"
[[ ! -e /usr/bin/chatterbox && ! -e /usr/share/applications/org.chatterbox.Chatterbox.desktop ]] || fail "remove left the app's files"
dpkg --purge chatterbox >/dev/null 2>&1 || fail "purging the app failed"
[[ ! -e /usr/share/doc/chatterbox ]] || fail "purge left /usr/share/doc/chatterbox"
echo "app package: install, start, remove and purge leave what they should"

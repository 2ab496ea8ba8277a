#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs a command inside a desktop session of its own, as a developer's machine has one: an X
# server (Xvfb), a window manager (openbox), a session D-Bus at $XDG_RUNTIME_DIR/bus made from the
# distribution's session.conf (so installed services are activated on it, as on a desktop), an
# unlocked Secret Service (gnome-keyring), a notification daemon (dunst) and a tray host (trayer).
# Everything it starts ends with it; its exit status is the command's.
#
#   desktop-session.sh [--size WxH] COMMAND [ARG...]
set -euo pipefail

size=1400x900
if [[ ${1:-} == --size ]]; then
    size=$2
    shift 2
fi
[[ $# -gt 0 ]] || { echo "usage: $0 [--size WxH] COMMAND [ARG...]" >&2; exit 2; }

session=$(mktemp -d "${TMPDIR:-/tmp}/chatterbox-desktop.XXXXXX")
pids=()
finish() {
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    wait 2>/dev/null || true
    rm -rf "$session"
}
trap finish EXIT

mkdir -m 700 "$session/run" "$session/home"
export XDG_RUNTIME_DIR=$session/run
# The session's own home: the keyring's files and the window manager's settings land here.
export HOME=$session/home
export XDG_CONFIG_HOME=$HOME/.config XDG_DATA_HOME=$HOME/.local/share XDG_CACHE_HOME=$HOME/.cache
unset WAYLAND_DISPLAY
export XDG_SESSION_TYPE=x11

# Xvfb picks a free display number and writes it to the descriptor it is given.
Xvfb -displayfd 3 -screen 0 "${size}x24" -nolisten tcp 3>"$session/display" >"$session/xvfb.log" 2>&1 &
pids+=("$!")
display=
for _ in $(seq 1 100); do
    display=$(head -n1 "$session/display" 2>/dev/null || true)
    [[ -n $display ]] && break
    sleep 0.1
done
[[ -n $display ]] || { echo "Xvfb did not start:" >&2; cat "$session/xvfb.log" >&2; exit 1; }
export DISPLAY=:$display
# Clients can connect: everything below, and the command, talks to this display.
reachable=
for _ in $(seq 1 100); do
    xprop -root >/dev/null 2>&1 && { reachable=yes; break; }
    sleep 0.1
done
[[ -n $reachable ]] || { echo "desktop-session: display $DISPLAY takes no clients:" >&2; cat "$session/xvfb.log" >&2; exit 1; }

dbus-daemon --session --address="unix:path=$XDG_RUNTIME_DIR/bus" --nofork --print-address=1 >"$session/bus" 2>/dev/null &
pids+=("$!")
for _ in $(seq 1 50); do
    [[ -s $session/bus ]] && break
    sleep 0.1
done
export DBUS_SESSION_BUS_ADDRESS=unix:path=$XDG_RUNTIME_DIR/bus

if command -v gnome-keyring-daemon >/dev/null; then
    # A login keyring unlocked with a password nobody types, as a desktop login does.
    printf 'desktop-session' | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1 || true
fi
command -v openbox >/dev/null && { openbox >"$session/openbox.log" 2>&1 & pids+=("$!"); }
command -v dunst >/dev/null && { dunst >/dev/null 2>&1 & pids+=("$!"); }
command -v trayer >/dev/null && { trayer --edge top --align right --widthtype pixel --width 120 --height 24 >/dev/null 2>&1 & pids+=("$!"); }
# The window manager owns the screen before the command's first window maps (on a loaded
# machine that can take seconds; a session without it says so rather than fail later).
if command -v openbox >/dev/null; then
    wm=
    for _ in $(seq 1 200); do
        xprop -root _NET_SUPPORTING_WM_CHECK 2>/dev/null | grep -q 'window id' && { wm=up; break; }
        sleep 0.1
    done
    [[ -n $wm ]] || { echo "desktop-session: the window manager did not start on $DISPLAY:" >&2; cat "$session/openbox.log" "$session/xvfb.log" >&2; }
fi

status=0
"$@" || status=$?
exit "$status"

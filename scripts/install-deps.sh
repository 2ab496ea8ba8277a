#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs what building, running and testing Chatterbox needs, from Debian/Ubuntu packages.
# Only what is missing is installed; uses sudo when not root.
set -euo pipefail

packages=(
    cmake ninja-build g++ pkg-config
    # The fuzz targets: clang with libFuzzer and the sanitizers.
    clang libclang-rt-dev
    qt6-base-dev qt6-websockets-dev qt6-svg-dev qt6-tools-dev qt6-l10n-tools qtkeychain-qt6-dev
    # WebP among the images the app shows (PNG, JPEG and GIF come with Qt itself).
    qt6-image-formats-plugins
    # The messages kept on disk between runs: Qt SQL with its SQLite driver.
    libqt6sql6-sqlite
    libpqxx-dev nlohmann-json3-dev libcpp-httplib-dev libssl-dev
    # The emoji table is generated at build time from Unicode's data and CLDR's annotations.
    python3 unicode-data unicode-cldr-core
    postgresql xvfb xauth fonts-dejavu-core fonts-noto-color-emoji dbus-daemon
    curl ca-certificates dpkg-dev desktop-file-utils appstream xdg-utils
    # The packages checked as a distribution checks them, and /metrics as Prometheus reads it.
    lintian prometheus
    # A desktop session for the tests, as a person's machine has: window manager, tray host,
    # notification daemon, Secret Service, input, and a real browser for the sign-in.
    openbox trayer dunst gnome-keyring x11-utils xdotool chromium
)

# The sign-in tests run identity providers from npm; any Node.js 18 or newer will do.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    packages+=(nodejs npm)
fi

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done
if [[ ${#missing[@]} -eq 0 ]]; then
    exit 0
fi

sudo=()
if [[ $(id -u) -ne 0 ]]; then
    sudo=(sudo)
fi
echo "Installing: ${missing[*]}"
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"

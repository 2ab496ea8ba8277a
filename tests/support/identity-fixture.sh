#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# CTest fixture: installs the test identity providers' npm packages (from the lock file) into
# the build tree. Needs node and npm; scripts/install-deps.sh installs them.
set -euo pipefail
source_dir=$1
target=$2
mkdir -p "$target"
cp "$source_dir/package.json" "$source_dir/package-lock.json" "$target/"
if [[ ! -d "$target/node_modules/oauth2-mock-server" ]] || ! cmp -s "$source_dir/package-lock.json" "$target/node_modules/.package-lock.json.installed"; then
    (cd "$target" && npm ci --no-audit --no-fund --loglevel=error)
    cp "$source_dir/package-lock.json" "$target/node_modules/.package-lock.json.installed"
fi
echo "identity provider packages ready in $target"

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# lintian on a .deb: fails on any error, and prints the warnings so they are seen.
#   lintian-clean.sh PACKAGE.deb
set -euo pipefail
deb=$1
report=$(lintian --no-cfg --display-level ">=warning" "$deb" 2>&1) || true
if grep -q "^E: " <<<"$report"; then
    echo "lintian finds errors in $(basename "$deb"):"
    echo "$report"
    exit 1
fi
if [[ -n "$report" ]]; then
    echo "lintian warnings for $(basename "$deb"):"
    echo "$report"
fi

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs every test: installs what is missing, builds with warnings as errors, runs the unit,
# database, end-to-end and GUI suites (they start their own PostgreSQL, display and identity
# providers), then the fuzz targets for CHATTERBOX_FUZZ_SECONDS each (30; 0 skips them).
# Arguments go to ctest for the suites and skip the fuzzing: `test.sh -L unit`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
CHATTERBOX_BUILD_DIR=${CHATTERBOX_BUILD_DIR:-$root/build} "$root/scripts/build.sh" -DCHATTERBOX_WERROR=ON
cd "${CHATTERBOX_BUILD_DIR:-$root/build}"
ctest --output-on-failure --parallel "$(nproc)" "$@"
if [[ $# -eq 0 && ${CHATTERBOX_FUZZ_SECONDS:-30} != 0 ]]; then
    "$root/scripts/fuzz.sh"
fi

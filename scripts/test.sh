#!/usr/bin/env bash
# Runs every test: installs what is missing, builds with warnings as errors, then runs the
# unit, database and end-to-end suites. The suites start their own PostgreSQL.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
CHATTERBOX_BUILD_DIR=${CHATTERBOX_BUILD_DIR:-$root/build} "$root/scripts/build.sh" -DCHATTERBOX_WERROR=ON
cd "${CHATTERBOX_BUILD_DIR:-$root/build}"
ctest --output-on-failure --parallel "$(nproc)" "$@"

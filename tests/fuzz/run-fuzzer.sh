#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs one libFuzzer target for CHATTERBOX_FUZZ_SECONDS (default 30) from the seed corpus in the
# tree. What it learns goes to a working corpus in the build directory (the tree stays clean), a
# crashing input to that directory's artifacts/, with the command that replays it.
#   run-fuzzer.sh <fuzzer> <seed corpus> <work dir> [libFuzzer options...]
set -euo pipefail
fuzzer=$1 seeds=$2 work=$3
shift 3
seconds=${CHATTERBOX_FUZZ_SECONDS:-30}
mkdir -p "$work/corpus" "$work/artifacts"
export LSAN_OPTIONS="suppressions=$(dirname "$0")/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
status=0
"$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=8192 -print_final_stats=1 \
    -artifact_prefix="$work/artifacts/" "$@" "$work/corpus" "$seeds" 2> "$work/log" || status=$?
grep -E '^(Done [0-9]+ runs|INFO: seed corpus|stat::(average_exec_per_sec|new_units_added|peak_rss_mb))' "$work/log" || true
if [[ $status -ne 0 ]]; then
    tail -n 60 "$work/log"
    for crash in "$work"/artifacts/*; do
        [[ -e $crash ]] && echo "replay: $fuzzer $crash"
    done
    exit "$status"
fi

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the libFuzzer targets with clang into ./build-fuzz (or $CHATTERBOX_FUZZ_BUILD_DIR) and
# runs each for CHATTERBOX_FUZZ_SECONDS (default 30) from its seed corpus in tests/fuzz/corpus.
# Fails on any crash, leak, sanitizer report or broken property, and prints the command that
# replays the input. Extra arguments go to ctest (-R fuzz_markdown runs one).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${CHATTERBOX_FUZZ_BUILD_DIR:-$root/build-fuzz}
CC=clang CXX=clang++ cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCHATTERBOX_FUZZ=ON -DCHATTERBOX_BUILD_TESTS=OFF -DCHATTERBOX_WERROR=ON >/dev/null
cmake --build "$build" --target fuzzers --parallel "$(nproc)"
cd "$build"
ctest -L fuzz --output-on-failure --parallel "$(nproc)" "$@"

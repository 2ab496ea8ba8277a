// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// What a fuzz target asserts. A broken property aborts, which libFuzzer reports as a crash with
// the input that caused it, like any sanitizer finding.

#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(condition)                                                                    \
    do {                                                                                         \
        if (!(condition)) {                                                                      \
            std::fprintf(stderr, "%s:%d: property broken: %s\n", __FILE__, __LINE__, #condition); \
            std::abort();                                                                        \
        }                                                                                        \
    } while (false)

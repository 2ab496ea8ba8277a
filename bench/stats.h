// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

namespace chatterbox::bench {

// Percentiles of a set of samples (milliseconds, or anything else).
struct Percentiles {
    double p50 = 0, p99 = 0, max = 0;
    std::size_t count = 0;
};

inline Percentiles percentiles(std::vector<double> samples)
{
    Percentiles out;
    out.count = samples.size();
    if (samples.empty())
        return out;
    std::sort(samples.begin(), samples.end());
    auto at = [&](double q) { return samples[std::min(samples.size() - 1, static_cast<std::size_t>(q * static_cast<double>(samples.size())))]; };
    out.p50 = at(0.50);
    out.p99 = at(0.99);
    out.max = samples.back();
    return out;
}

} // namespace chatterbox::bench

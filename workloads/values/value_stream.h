// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace pesim::workloads {

// Seeded synthetic operand values. The generator (mt19937_64) and the transforms are pesim's own, so a seed gives
// the same values with any compiler or standard library.
enum class Distribution : uint8_t { Normal, Laplace, Uniform };

bool parse_distribution(const std::string& name, Distribution& out);  // "normal", "laplace", "uniform"
const char* distribution_name(Distribution d);

// `count` values of the distribution with mean 0 and standard deviation `scale` (uniform: on [-scale, scale]).
std::vector<double> draw_values(Distribution d, double scale, uint64_t seed, size_t count);

// LLM-style activation outliers: multiplies whole channels (columns of a row-major matrix with `cols` columns) by
// `factor`; round(fraction * cols) channels, at least one, chosen with `seed`. Returns the chosen channels.
std::vector<int64_t> add_channel_outliers(std::vector<double>& values, int64_t cols, double fraction, double factor,
                                          uint64_t seed);

}  // namespace pesim::workloads

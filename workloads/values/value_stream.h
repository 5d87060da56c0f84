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

// draw_values in two steps, for callers that turn words into values in parallel: the generator's words in order
// (words_per_value(d) per value; the only sequential part), then values [first, last) from them into out[first..last).
// draw_values(d, scale, seed, count)[i] is exactly values_from_words(...)'s out[i] (draw_values is these two steps).
int words_per_value(Distribution d);
std::vector<uint64_t> draw_words(Distribution d, uint64_t seed, size_t count);
void values_from_words(Distribution d, double scale, const std::vector<uint64_t>& words, size_t first, size_t last,
                       double* out);

// LLM-style activation outliers: multiplies whole channels (columns of a row-major matrix with `cols` columns) by
// `factor`; round(fraction * cols) channels, at least one, chosen with `seed`. Returns the chosen channels.
std::vector<int64_t> add_channel_outliers(std::vector<double>& values, int64_t cols, double fraction, double factor,
                                          uint64_t seed);

}  // namespace pesim::workloads

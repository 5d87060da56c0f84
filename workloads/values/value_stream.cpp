// SPDX-License-Identifier: Apache-2.0
#include "workloads/values/value_stream.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>

namespace pesim::workloads {

namespace {

// Uniform on (0, 1), never 0, from the top 53 bits of one generator word.
double open_unit(uint64_t word) { return (static_cast<double>(word >> 11) + 0.5) * 0x1.0p-53; }

// One value from its generator words (words_per_value(d) of them).
double value_of(Distribution d, const uint64_t* word) {
  switch (d) {
    case Distribution::Normal: {  // Box-Muller, one value per pair of words
      const double radius = std::sqrt(-2.0 * std::log(open_unit(word[0])));
      return radius * std::cos(2.0 * std::numbers::pi * open_unit(word[1]));
    }
    case Distribution::Laplace: {  // inverse CDF, unit variance (b = 1/sqrt(2))
      const double u = open_unit(word[0]) - 0.5;
      return -std::copysign(std::log(1.0 - 2.0 * std::fabs(u)), u) / std::numbers::sqrt2;
    }
    case Distribution::Uniform:
      return 2.0 * open_unit(word[0]) - 1.0;
  }
  return 0.0;
}

}  // namespace

bool parse_distribution(const std::string& name, Distribution& out) {
  for (Distribution d : {Distribution::Normal, Distribution::Laplace, Distribution::Uniform}) {
    if (name == distribution_name(d)) {
      out = d;
      return true;
    }
  }
  return false;
}

const char* distribution_name(Distribution d) {
  switch (d) {
    case Distribution::Normal:
      return "normal";
    case Distribution::Laplace:
      return "laplace";
    case Distribution::Uniform:
      return "uniform";
  }
  return "?";
}

int words_per_value(Distribution d) { return d == Distribution::Normal ? 2 : 1; }

std::vector<uint64_t> draw_words(Distribution d, uint64_t seed, size_t count) {
  std::mt19937_64 rng(seed);
  std::vector<uint64_t> words(count * static_cast<size_t>(words_per_value(d)));
  for (uint64_t& word : words) word = rng();
  return words;
}

void values_from_words(Distribution d, double scale, const std::vector<uint64_t>& words, size_t first, size_t last,
                       double* out) {
  const auto per_value = static_cast<size_t>(words_per_value(d));
  for (size_t i = first; i < last; ++i) out[i] = scale * value_of(d, &words[i * per_value]);
}

std::vector<double> draw_values(Distribution d, double scale, uint64_t seed, size_t count) {
  const std::vector<uint64_t> words = draw_words(d, seed, count);
  std::vector<double> values(count);
  values_from_words(d, scale, words, 0, count, values.data());
  return values;
}

std::vector<int64_t> add_channel_outliers(std::vector<double>& values, int64_t cols, double fraction, double factor,
                                          uint64_t seed) {
  std::mt19937_64 rng(seed);
  const int64_t count = std::clamp<int64_t>(std::llround(fraction * static_cast<double>(cols)), 1, cols);
  std::vector<int64_t> channels;
  while (static_cast<int64_t>(channels.size()) < count) {
    const int64_t c = static_cast<int64_t>(rng() % static_cast<uint64_t>(cols));
    if (std::find(channels.begin(), channels.end(), c) == channels.end()) channels.push_back(c);
  }
  for (size_t i = 0; i < values.size(); ++i) {
    if (std::find(channels.begin(), channels.end(), static_cast<int64_t>(i % cols)) != channels.end()) {
      values[i] *= factor;
    }
  }
  return channels;
}

}  // namespace pesim::workloads

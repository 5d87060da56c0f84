// SPDX-License-Identifier: Apache-2.0
#include "sim/cycle/gemm_operations.h"

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include "models/num/exact_value.h"
#include "models/pe/operand_quantizer.h"
#include "sim/cycle/parallel_chunks.h"
#include "workloads/values/value_stream.h"

namespace pesim::cycle {

namespace {

// Values per thread below which splitting the operands' work is not worth a thread.
constexpr size_t kMinChunkValues = size_t{1} << 15;

// Rows of `row_values` values each that make a chunk of at least kMinChunkValues.
size_t rows_per_chunk(int64_t row_values) {
  return std::max<size_t>(1, kMinChunkValues / static_cast<size_t>(std::max<int64_t>(row_values, 1)));
}

uint64_t low_bits_mask(int bits) { return bits >= 64 ? ~uint64_t{0} : (uint64_t{1} << bits) - 1; }

// A port's table, made once per process for each PE configuration and port (a 16-bit port's takes milliseconds, which
// a DSE's small layers would otherwise pay on every evaluation); nothing for ports wider than 16 bits.
std::shared_ptr<const pe::OperandQuantizer> shared_quantizer(const pe::PeInstance& pe, pe::OperandQuantizer::Port port,
                                                             int word_bits) {
  static std::mutex mutex;
  static std::map<std::string, std::shared_ptr<const pe::OperandQuantizer>> tables;
  const std::string key = pe.kind + " " + pe.params_text() + (port == pe::OperandQuantizer::Port::a ? " a " : " b ") +
                          std::to_string(word_bits);
  const std::lock_guard<std::mutex> lock(mutex);
  auto found = tables.find(key);
  if (found != tables.end()) return found->second;
  std::optional<pe::OperandQuantizer> made = pe::OperandQuantizer::make(*pe.core, port, word_bits);
  auto table = made ? std::make_shared<const pe::OperandQuantizer>(std::move(*made)) : nullptr;
  tables.emplace(key, table);
  return table;
}

// A port's words and their values for a vector of real values: by the port's table (OperandQuantizer: the same words
// and values) where the port has at most 16 bits, else by the core value by value.
struct PortCodec {
  const pe::IPeCore& core;
  pe::OperandQuantizer::Port port;
  std::shared_ptr<const pe::OperandQuantizer> table;

  PortCodec(const pe::PeInstance& pe, pe::OperandQuantizer::Port p, int word_bits)
      : core(*pe.core), port(p), table(shared_quantizer(pe, p, word_bits)) {}
  uint64_t quantize(double v) const {
    if (table) return table->quantize(v, core);
    return port == pe::OperandQuantizer::Port::a ? core.quantize_a(v) : core.quantize_b(v);
  }
  double value(uint64_t word) const {
    if (table) return table->value(word);
    return num::to_double(port == pe::OperandQuantizer::Port::a ? core.a_value(word) : core.b_value(word));
  }
};

// One or more products per operation: lane i of a word holds reduction step p * lanes + i.
GemmOperations lane_operations(const pe::PeInstance& pe, const std::vector<double>& a, const std::vector<double>& b,
                               int64_t m, int64_t n, int64_t k, int threads) {
  const pe::PortWidths widths = pe.core->widths();
  const int lanes = widths.lanes;
  const int a_lane_bits = widths.a_bits / lanes, b_lane_bits = widths.b_bits / lanes;
  const uint64_t a_mask = low_bits_mask(a_lane_bits), b_mask = low_bits_mask(b_lane_bits);
  const PortCodec a_codec(pe, pe::OperandQuantizer::Port::a, a_lane_bits);
  const PortCodec b_codec(pe, pe::OperandQuantizer::Port::b, b_lane_bits);
  const int64_t ops = (k + lanes - 1) / lanes;
  GemmOperations g;
  g.words = {m, n, ops, std::vector<uint64_t>(static_cast<size_t>(m * ops), 0),
             std::vector<uint64_t>(static_cast<size_t>(ops * n), 0)};
  g.values = {m, n, k, std::vector<double>(a.size()), std::vector<double>(b.size())};
  g.row_scale.assign(static_cast<size_t>(m), 1.0);
  // Rows of A, and groups of `lanes` rows of B, write disjoint words: split across threads.
  const auto a_rows = [&](size_t first_row, size_t last_row) {
    for (auto row = static_cast<int64_t>(first_row); row < static_cast<int64_t>(last_row); ++row) {
      for (int64_t p = 0; p < k; ++p) {
        const size_t i = static_cast<size_t>(row * k + p);
        const uint64_t word = a_codec.quantize(a[i]);
        g.values.a[i] = a_codec.value(word);
        g.words.a[static_cast<size_t>(row * ops + p / lanes)] |= (word & a_mask) << ((p % lanes) * a_lane_bits);
      }
    }
  };
  const auto b_operations = [&](size_t first_op, size_t last_op) {
    for (int64_t p = static_cast<int64_t>(first_op) * lanes; p < std::min(k, static_cast<int64_t>(last_op) * lanes);
         ++p) {
      for (int64_t col = 0; col < n; ++col) {
        const size_t i = static_cast<size_t>(p * n + col);
        const uint64_t word = b_codec.quantize(b[i]);
        g.values.b[i] = b_codec.value(word);
        g.words.b[static_cast<size_t>((p / lanes) * n + col)] |= (word & b_mask) << ((p % lanes) * b_lane_bits);
      }
    }
  };
  parallel_chunks(static_cast<size_t>(m), threads, rows_per_chunk(k), a_rows);
  parallel_chunks(static_cast<size_t>(ops), threads, rows_per_chunk(n * lanes), b_operations);
  return g;
}

// A kind's own mapping (GemmMapping) as the engine's words and the value check's values.
GemmOperations from_mapping(pe::GemmMapping mapped, int64_t m, int64_t n, int64_t k) {
  GemmOperations g;
  g.words = {m, n, mapped.ops, std::move(mapped.a_words), std::move(mapped.b_words)};
  g.values = {m, n, k, std::move(mapped.a_values), std::move(mapped.b_values)};
  g.row_scale = std::move(mapped.row_scale);
  return g;
}

}  // namespace

GemmOperations gemm_operations(const pe::PeInstance& pe, const std::vector<double>& a, const std::vector<double>& b,
                               int64_t m, int64_t n, int64_t k, int threads) {
  if (std::optional<pe::GemmMapping> mapped = pe.core->map_gemm(a, b, m, n, k))
    return from_mapping(std::move(*mapped), m, n, k);
  return lane_operations(pe, a, b, m, n, k, threads);
}

RealOperands normal_operands(int64_t m, int64_t n, int64_t k, uint64_t seed, int threads) {
  constexpr auto kNormal = workloads::Distribution::Normal;
  // draw_values(kNormal, 1.0, seed + offset, count), its words turned into values in parallel.
  const auto draw = [seed, threads](int64_t count, uint64_t offset) {
    const std::vector<uint64_t> words = workloads::draw_words(kNormal, seed + offset, static_cast<size_t>(count));
    std::vector<double> values(static_cast<size_t>(count));
    parallel_chunks(values.size(), threads, kMinChunkValues, [&](size_t first, size_t last) {
      workloads::values_from_words(kNormal, 1.0, words, first, last, values.data());
    });
    return values;
  };
  return {draw(m * k, 0), draw(k * n, 1)};
}

}  // namespace pesim::cycle

// SPDX-License-Identifier: Apache-2.0
#include "sim/cosim/stimulus.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace pesim::cosim {

Stimulus::Stimulus(const pe::PeInstance& pe, uint64_t seed)
    : m_core(*pe.core), m_widths(pe.core->widths()), m_timing(pe.timing), m_rng(seed) {}

namespace {

uint64_t mask_bits(int bits) { return bits >= 64 ? ~uint64_t{0} : (uint64_t{1} << bits) - 1; }

uint64_t parse_hex_field(const std::string& token, int bits, const std::string& where, const char* field) {
  size_t used = 0;
  uint64_t value = 0;
  try {
    value = std::stoull(token, &used, 16);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != token.size() || token.empty()) {
    throw std::runtime_error(where + ": field " + field + ": '" + token + "' is not a hex word");
  }
  if ((value & ~mask_bits(bits)) != 0) {
    throw std::runtime_error(where + ": field " + field + ": " + token + " does not fit the port's " +
                             std::to_string(bits) + " bits");
  }
  return value;
}

}  // namespace

Stimulus::Stimulus(const pe::PeInstance& pe, const std::string& vector_path)
    : m_core(*pe.core), m_widths(pe.core->widths()), m_timing(pe.timing), m_from_file(true) {
  std::ifstream file(vector_path);
  if (!file) throw std::runtime_error(vector_path + ": cannot open vector file");
  std::string line;
  for (int number = 1; std::getline(file, line); ++number) {
    line = line.substr(0, line.find('#'));
    std::istringstream fields(line);
    std::vector<std::string> tokens;
    for (std::string t; fields >> t;) tokens.push_back(t);
    if (tokens.empty()) continue;
    const std::string where = vector_path + ":" + std::to_string(number);
    if (tokens.size() != 3) {
      throw std::runtime_error(where + ": expected 3 fields 'a b c' (hex), found " + std::to_string(tokens.size()));
    }
    rtl::PeInputs in;
    in.valid = true;
    in.a = parse_hex_field(tokens[0], m_widths.a_bits, where, "1 (a)");
    in.b = parse_hex_field(tokens[1], m_widths.b_bits, where, "2 (b)");
    in.c = parse_hex_field(tokens[2], m_widths.acc_bits, where, "3 (c)");
    m_vectors.push_back(in);
  }
  if (m_vectors.empty()) throw std::runtime_error(vector_path + ": no vectors");
}

bool Stimulus::exhausted(uint64_t cycle) const {
  // Every vector driven, plus the cycles for the last one to leave the pipeline.
  const uint64_t interval = static_cast<uint64_t>(m_timing.initiation_interval_cycles);
  return m_from_file && cycle >= kResetCycles + m_vectors.size() * interval + m_timing.latency_cycles + 2;
}

uint64_t Stimulus::random_word(int bits) { return m_rng() & mask_bits(bits); }

uint64_t Stimulus::edge_word(int bits) {
  const uint64_t all = mask_bits(bits);
  const uint64_t sign = uint64_t{1} << (bits - 1);
  const uint64_t low = m_rng() & mask_bits(bits / 2);
  const uint64_t patterns[] = {
      0, 1, all, sign, all >> 1, sign | 1, (all >> 1) ^ 1, sign | low, low, all ^ low, (all >> 1) ^ low};
  return patterns[m_rng() % std::size(patterns)];
}

uint64_t Stimulus::operand(int bits) { return (m_rng() & 1) ? random_word(bits) : edge_word(bits); }

uint64_t Stimulus::partial_sum(uint64_t a, uint64_t b, const rtl::PeOutputs& observed) {
  const int bits = m_widths.acc_bits;
  switch (m_rng() % 8) {
    case 0:
    case 1:
    case 2:
      return observed.acc;  // continue the chain
    case 3:
    case 4: {
      const uint64_t product = m_core.mac(a, b, m_core.zero_acc());
      return m_core.negate_acc(product) ^ (m_rng() & 7);  // cancellation
    }
    case 5:
      return edge_word(bits);
    default:
      return random_word(bits);
  }
}

rtl::PeInputs Stimulus::next(uint64_t cycle, const rtl::PeOutputs& observed) {
  rtl::PeInputs in;
  if (cycle < kResetCycles) {
    in.rst = true;
    return in;
  }
  if (m_from_file) {
    const uint64_t interval = static_cast<uint64_t>(m_timing.initiation_interval_cycles);
    const uint64_t index = (cycle - kResetCycles) / interval;
    if ((cycle - kResetCycles) % interval == 0 && index < m_vectors.size()) in = m_vectors[index];
    return in;
  }
  in.valid = (m_rng() % 16) != 0;
  in.a = operand(m_widths.a_bits);
  in.b = operand(m_widths.b_bits);
  in.c = partial_sum(in.a, in.b, observed);
  return in;
}

}  // namespace pesim::cosim

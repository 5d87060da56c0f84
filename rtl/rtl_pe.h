// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "models/pe/pe_ports.h"

namespace pesim::rtl {

// Values on a PE's ports, shared with the SystemC model (models/pe/pe_ports.h).
using PeInputs = pe::PeInputs;
using PeOutputs = pe::PeOutputs;

// A Verilated PE, clocked by hand: inputs are applied while the clock is low, a rising edge registers them.
class IRtlPe {
 public:
  virtual ~IRtlPe() = default;
  virtual void set_inputs(const PeInputs& in) = 0;
  virtual void rising_edge() = 0;
  virtual void falling_edge() = 0;
  virtual PeOutputs outputs() const = 0;
  // Starts a VCD of every RTL signal (only for a model made with tracing); dump() writes the current values.
  virtual void open_vcd(const std::string& path) = 0;
  virtual void dump_vcd(uint64_t time_ps) = 0;
  virtual void close_vcd() = 0;
};

// One configuration the build verilated (rtl/verilated_configs.txt).
struct VerilatedConfig {
  std::string kind;
  std::string settings;  // pesim --set text
  std::string top_module;
  std::map<std::string, int64_t> parameters;
  std::unique_ptr<IRtlPe> (*make)(bool tracing);
};

const std::vector<VerilatedConfig>& verilated_configs();

// The verilated configuration with exactly this top module and these Verilog parameters, or nullptr.
const VerilatedConfig* find_verilated(const std::string& top_module, const std::map<std::string, int64_t>& parameters);

}  // namespace pesim::rtl

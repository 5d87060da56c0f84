// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <systemc>
#include <vector>

#include "models/pe/pe.h"

namespace pesim::pe {

// The cycle-level SystemC model of any PE kind: one process per rising clock edge over plain data. It adds only
// timing to the functional core: timing.latency_cycles pipeline stages, exactly as the RTL's pe_pipeline.v.
// Contract (identical to the RTL): out_valid/out_acc are in_valid and mac(in_a, in_b, in_c) from latency_cycles
// edges earlier; a stage's data loads only when the valid bit entering it is 1; synchronous reset clears every
// stage; out_result = finish(out_acc). A datapath with an initiation interval of N > 1 cycles accepts an operation
// (in_valid) only N or more edges after the last one it accepted (or after reset) and ignores it otherwise.
class PeModel : public sc_core::sc_module {
 public:
  sc_core::sc_in<bool> clk;
  sc_core::sc_in<bool> rst;
  sc_core::sc_in<bool> in_valid;
  sc_core::sc_in<uint64_t> in_a;
  sc_core::sc_in<uint64_t> in_b;
  sc_core::sc_in<uint64_t> in_c;
  sc_core::sc_out<bool> out_valid;
  sc_core::sc_out<uint64_t> out_acc;
  sc_core::sc_out<uint64_t> out_result;

  PeModel(const sc_core::sc_module_name& name, const IPeCore& core, const PeTiming& timing);

  // Wall time spent in the model's clock process, seconds (the model's own cost, without the SystemC kernel).
  double busy_seconds() const { return m_busy_seconds; }

 private:
  struct Stage {
    bool valid = false;
    uint64_t acc = 0;
  };
  void on_rising_edge();

  const IPeCore& m_core;
  std::vector<Stage> m_stages;
  int m_initiation_interval_cycles;
  int m_cycles_since_accept;
  double m_busy_seconds = 0;
};

}  // namespace pesim::pe

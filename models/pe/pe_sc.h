// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <systemc>
#include <vector>

#include "models/pe/pe_pipeline.h"

namespace pesim::pe {

// The cycle-level SystemC model of any PE kind: one process per rising clock edge, running PePipeline (the
// functional core plus the RTL's pipeline timing; its header states the contract) on the port values.
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

 private:
  void on_rising_edge();

  PePipeline m_pipeline;
};

}  // namespace pesim::pe

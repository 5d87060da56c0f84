// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <cstdint>
#include <vector>

#include "models/pe/pe.h"
#include "models/pe/pe_ports.h"

namespace pesim::pe {

// What a PE does on one rising clock edge, on plain data: the body of PeModel's clock process, and what
// `pesim cosim` times to report the model's cycles/s. It adds only timing to the functional core:
// timing.latency_cycles pipeline stages, exactly as the RTL's pe_pipeline.v.
// Contract (identical to the RTL): out valid/acc are in valid and mac(a, b, c) from latency_cycles edges earlier; a
// stage's data loads only when the valid bit entering it is 1; reset clears every stage; result = finish(acc). A
// datapath with an initiation interval of N > 1 cycles accepts an operation (valid) only N or more edges after the
// last one it accepted (or after reset) and ignores it otherwise.
class PePipeline {
 public:
  PePipeline(const IPeCore& core, const PeTiming& timing);

  // The registers after the edge with `in` on the input ports.
  const PeOutputs& rising_edge(const PeInputs& in);

 private:
  struct Stage {
    bool valid = false;
    uint64_t acc = 0;
  };
  void reset();

  const IPeCore& m_core;
  bool m_finish_is_identity;
  std::vector<Stage> m_stages;
  int m_initiation_interval_cycles;
  int m_cycles_since_accept;
  PeOutputs m_out;
};

}  // namespace pesim::pe

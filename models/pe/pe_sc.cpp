// SPDX-License-Identifier: Apache-2.0
#include "models/pe/pe_sc.h"

namespace pesim::pe {

PeModel::PeModel(const sc_core::sc_module_name& name, const IPeCore& core, const PeTiming& timing)
    : sc_core::sc_module(name), m_pipeline(core, timing) {
  SC_HAS_PROCESS(PeModel);
  SC_METHOD(on_rising_edge);
  sensitive << clk.pos();
  dont_initialize();
}

void PeModel::on_rising_edge() {
  const PeOutputs& out = m_pipeline.rising_edge({rst.read(), in_valid.read(), in_a.read(), in_b.read(), in_c.read()});
  out_valid.write(out.valid);
  out_acc.write(out.acc);
  out_result.write(out.result);
}

}  // namespace pesim::pe

// SPDX-License-Identifier: Apache-2.0
#include "models/pe/pe_sc.h"

#include <algorithm>
#include <chrono>

namespace pesim::pe {

PeModel::PeModel(const sc_core::sc_module_name& name, const IPeCore& core, const PeTiming& timing)
    : sc_core::sc_module(name),
      m_core(core),
      m_stages(static_cast<size_t>(timing.latency_cycles)),
      m_initiation_interval_cycles(timing.initiation_interval_cycles),
      m_cycles_since_accept(timing.initiation_interval_cycles) {
  SC_HAS_PROCESS(PeModel);
  SC_METHOD(on_rising_edge);
  sensitive << clk.pos();
  dont_initialize();
}

void PeModel::on_rising_edge() {
  const auto start = std::chrono::steady_clock::now();
  if (rst.read()) {
    for (Stage& s : m_stages) s = Stage{};
    m_cycles_since_accept = m_initiation_interval_cycles;
  } else {
    for (size_t s = m_stages.size() - 1; s > 0; --s) {
      if (m_stages[s - 1].valid) m_stages[s].acc = m_stages[s - 1].acc;
      m_stages[s].valid = m_stages[s - 1].valid;
    }
    // A multi-cycle datapath ignores operations offered while it is busy with the previous one.
    m_stages[0].valid = in_valid.read() && m_cycles_since_accept >= m_initiation_interval_cycles;
    m_cycles_since_accept = m_stages[0].valid ? 1 : std::min(m_cycles_since_accept + 1, m_initiation_interval_cycles);
    if (m_stages[0].valid) m_stages[0].acc = m_core.mac(in_a.read(), in_b.read(), in_c.read());
  }
  const Stage& last = m_stages.back();
  out_valid.write(last.valid);
  out_acc.write(last.acc);
  out_result.write(m_core.finish(last.acc));
  m_busy_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace pesim::pe

// SPDX-License-Identifier: Apache-2.0
#include "models/pe/pe_pipeline.h"

#include <algorithm>

namespace pesim::pe {

PePipeline::PePipeline(const IPeCore& core, const PeTiming& timing)
    : m_core(core),
      m_finish_is_identity(core.finish_is_identity()),
      m_stages(static_cast<size_t>(timing.latency_cycles)),
      m_initiation_interval_cycles(timing.initiation_interval_cycles),
      m_cycles_since_accept(timing.initiation_interval_cycles) {
  reset();
}

void PePipeline::reset() {
  for (Stage& s : m_stages) s = Stage{};
  m_cycles_since_accept = m_initiation_interval_cycles;
  m_out = {false, 0, m_core.finish(0)};
}

const PeOutputs& PePipeline::rising_edge(const PeInputs& in) {
  if (in.rst) {
    reset();
    return m_out;
  }
  const size_t last = m_stages.size() - 1;
  for (size_t s = last; s > 0; --s) {
    if (m_stages[s - 1].valid) m_stages[s].acc = m_stages[s - 1].acc;
    m_stages[s].valid = m_stages[s - 1].valid;
  }
  // A multi-cycle datapath ignores operations offered while it is busy with the previous one.
  const bool accept = in.valid && m_cycles_since_accept >= m_initiation_interval_cycles;
  m_stages[0].valid = accept;
  m_cycles_since_accept = accept ? 1 : std::min(m_cycles_since_accept + 1, m_initiation_interval_cycles);
  // mac_n on one step: the kind's fast kernel where it has one (the same function as mac(), held to it by the tests).
  if (accept) m_core.mac_n(&in.a, &in.b, &in.c, &m_stages[0].acc, 1);
  const Stage& out = m_stages[last];
  // A stage loads exactly when its valid bit is set, so the last stage's word changed only if out.valid; finish() is
  // a pure function of that word and is evaluated only then.
  if (out.valid) m_out.result = m_finish_is_identity ? out.acc : m_core.finish(out.acc);
  m_out.valid = out.valid;
  m_out.acc = out.acc;
  return m_out;
}

}  // namespace pesim::pe

// SPDX-License-Identifier: Apache-2.0
#include "models/printed/printed_bank_sc.h"

#include <memory>
#include <stdexcept>

namespace pesim::printed {

PrintedBankSc::PrintedBankSc(const sc_core::sc_module_name& name) : sc_core::sc_module(name), clk("clk") {
  SC_HAS_PROCESS(PrintedBankSc);
  SC_METHOD(on_rising_edge);
  sensitive << clk.pos();
  dont_initialize();
}

void PrintedBankSc::load(const std::vector<BespokeCircuit>& circuits, const std::vector<std::vector<int>>& samples) {
  m_circuits = &circuits;
  m_samples = &samples;
  m_next_sample = m_outputs_seen = 0;
  m_input_register_valid = false;
  m_classes.assign(circuits.size(), std::vector<int>(samples.size(), -1));
  m_edges = 0;
}

void PrintedBankSc::on_rising_edge() {
  if (m_samples == nullptr || done()) return;
  ++m_edges;
  // Both registers sample before either changes: the output from the old input register.
  if (m_input_register_valid) {
    for (size_t c = 0; c < m_circuits->size(); ++c)
      m_classes[c][m_outputs_seen] = (*m_circuits)[c].classify(m_input_register);
    ++m_outputs_seen;
  }
  m_input_register_valid = m_next_sample < m_samples->size();
  if (m_input_register_valid) m_input_register = (*m_samples)[m_next_sample++];
}

SystemCRun run_systemc_bank(const std::vector<BespokeCircuit>& circuits, const std::vector<std::vector<int>>& samples,
                            double clock_hz) {
  if (!(clock_hz > 0)) throw std::invalid_argument("the printed clock must be positive");
  struct Elaborated {
    double clock_hz;
    sc_core::sc_clock clock;
    PrintedBankSc bank{"printed_bank"};
    explicit Elaborated(double hz) : clock_hz(hz), clock("printed_clock", sc_core::sc_time(1.0 / hz, sc_core::SC_SEC)) {
      bank.clk(clock);
    }
  };
  static std::unique_ptr<Elaborated> elaborated;
  if (!elaborated) elaborated = std::make_unique<Elaborated>(clock_hz);
  if (elaborated->clock_hz != clock_hz)
    throw std::invalid_argument("the printed SystemC bank was elaborated at " + std::to_string(elaborated->clock_hz) +
                                " Hz; SystemC cannot elaborate another clock in this process");
  const sc_core::sc_time period = elaborated->clock.period();
  const sc_core::sc_time start = sc_core::sc_time_stamp();
  elaborated->bank.load(circuits, samples);
  while (!elaborated->bank.done()) sc_core::sc_start(period * static_cast<double>(samples.size() + 2));
  SystemCRun run;
  run.classes = elaborated->bank.classes();
  run.clock_edges = elaborated->bank.edges();
  run.simulated_seconds = (sc_core::sc_time_stamp() - start).to_seconds();
  return run;
}

}  // namespace pesim::printed

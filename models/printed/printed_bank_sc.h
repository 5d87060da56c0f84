// SPDX-License-Identifier: Apache-2.0
// Bespoke printed circuits as clocked SystemC hardware: registered inputs, the combinational circuit, a registered
// class output, at the printed clock (a few hertz). The SystemC side of the printed flow's three-way check.
#pragma once
#include <systemc>
#include <vector>

#include "models/printed/bespoke_circuit.h"

namespace pesim::printed {

// On every rising clock edge each circuit's output register takes the class of what its input register held, and
// every input register takes the next sample: sample k's class appears after edge k + 1. One process per edge over
// plain data, for all circuits at once.
class PrintedBankSc : public sc_core::sc_module {
 public:
  sc_core::sc_in<bool> clk;

  explicit PrintedBankSc(const sc_core::sc_module_name& name);
  // Starts a new run; the circuits and samples must outlive it.
  void load(const std::vector<BespokeCircuit>& circuits, const std::vector<std::vector<int>>& samples);
  bool done() const { return m_samples != nullptr && m_outputs_seen == m_samples->size(); }
  const std::vector<std::vector<int>>& classes() const { return m_classes; }  // [circuit][sample]
  uint64_t edges() const { return m_edges; }

 private:
  void on_rising_edge();

  const std::vector<BespokeCircuit>* m_circuits = nullptr;
  const std::vector<std::vector<int>>* m_samples = nullptr;
  size_t m_next_sample = 0, m_outputs_seen = 0;
  bool m_input_register_valid = false;
  std::vector<int> m_input_register;
  std::vector<std::vector<int>> m_classes;
  uint64_t m_edges = 0;
};

struct SystemCRun {
  std::vector<std::vector<int>> classes;  // [circuit][sample]
  uint64_t clock_edges = 0;
  double simulated_seconds = 0;  // at the printed clock
};

// Runs the samples through a PrintedBankSc clocked at `clock_hz`. SystemC elaborates once per process: the first
// call builds the bank and its clock, later calls reuse them; a later call at another clock throws
// std::invalid_argument.
SystemCRun run_systemc_bank(const std::vector<BespokeCircuit>& circuits, const std::vector<std::vector<int>>& samples,
                            double clock_hz);

}  // namespace pesim::printed

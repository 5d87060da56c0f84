// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "models/pe/pe.h"
#include "rtl/rtl_pe.h"
#include "sim/cosim/stimulus.h"

namespace pesim::cosim {

// The first cycle where the SystemC model and the RTL disagreed, with the inputs that entered the PE
// latency_cycles earlier (the operation whose result differs) and both outputs.
struct Mismatch {
  uint64_t cycle = 0;        // rising edge after which the outputs differ (0-based)
  uint64_t input_cycle = 0;  // the cycle whose inputs produced them
  rtl::PeInputs inputs;
  rtl::PeOutputs model;
  rtl::PeOutputs rtl;
};

struct CosimResult {
  uint64_t cycles = 0;  // rising edges simulated and compared
  uint64_t valid_outputs = 0;
  uint64_t mismatches = 0;  // the run stops at the first
  std::optional<Mismatch> first_mismatch;
  // Each side's own speed, from a replay of the run's first inputs after the lockstep (none after a mismatch):
  // the fastest of 8 alternating rounds of speed_cycles cycles through the model's clock-process body
  // (model_seconds) and through the Verilated RTL (rtl_seconds), neither with the SystemC kernel.
  uint64_t speed_cycles = 0;
  double model_seconds = 0;
  double rtl_seconds = 0;
  uint64_t replay_checksum = 0;  // model minus RTL outputs over the replays: 0 when they agree, as they must
  double wall_seconds = 0;       // the whole lockstep run, SystemC kernel and stimulus included
};

// Runs the SystemC model of `pe` and the Verilated RTL in lockstep inside one SystemC simulation, comparing every
// output every cycle, for `cycles` cycles (or until the vector stimulus is drained). One call per process: SystemC
// elaborates once. Then times each side on its own (CosimResult::speed_cycles).
CosimResult run_lockstep(const pe::PeInstance& pe, rtl::IRtlPe& rtl, Stimulus& stimulus, uint64_t cycles);

// Re-runs the RTL alone with the same stimulus up to just after `mismatch` and writes a VCD of the last
// `window_cycles` cycles before it.
void write_mismatch_vcd(rtl::IRtlPe& traced_rtl, Stimulus& stimulus, const Mismatch& mismatch, uint64_t window_cycles,
                        const std::string& vcd_path);

}  // namespace pesim::cosim

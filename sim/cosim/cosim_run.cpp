// SPDX-License-Identifier: Apache-2.0
#include "sim/cosim/cosim_run.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <limits>
#include <systemc>
#include <vector>

#include "models/pe/pe_pipeline.h"
#include "models/pe/pe_sc.h"

namespace pesim::cosim {

namespace {

using Clock = std::chrono::steady_clock;
constexpr uint64_t kPeriodPs = 10000;
// The speed replay: the first 2^16 cycles' inputs (2 MiB), repeated to rounds of at least as many cycles.
constexpr size_t kReplayRoundCycles = size_t{1} << 16;
constexpr int kReplayRounds = 8;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// The lockstep testbench: a clock, the model's port signals, and two processes. On the rising edge the RTL is
// clocked (the model clocks itself on the same edge). On the falling edge both outputs are compared and the next
// inputs are applied to both.
class LockstepBench : public sc_core::sc_module {
 public:
  LockstepBench(const sc_core::sc_module_name& name, const pe::PeInstance& pe, rtl::IRtlPe& rtl, Stimulus& stimulus,
                uint64_t cycles, CosimResult& result)
      : sc_core::sc_module(name),
        m_clock("clock", sc_core::sc_time(static_cast<double>(kPeriodPs), sc_core::SC_PS)),
        m_model("model", *pe.core, pe.timing),
        m_rtl(rtl),
        m_stimulus(stimulus),
        m_cycles(cycles),
        m_latency(static_cast<uint64_t>(pe.timing.latency_cycles)),
        m_result(result) {
    m_model.clk(m_clock);
    m_model.rst(m_rst);
    m_model.in_valid(m_in_valid);
    m_model.in_a(m_in_a);
    m_model.in_b(m_in_b);
    m_model.in_c(m_in_c);
    m_model.out_valid(m_out_valid);
    m_model.out_acc(m_out_acc);
    m_model.out_result(m_out_result);
    SC_HAS_PROCESS(LockstepBench);
    SC_METHOD(on_rising_edge);
    sensitive << m_clock.posedge_event();
    dont_initialize();
    SC_METHOD(on_falling_edge);
    sensitive << m_clock.negedge_event();
    dont_initialize();
    apply(m_stimulus.next(0, {}));
  }

  // The inputs of the first cycles (from reset), for the speed replay.
  const std::vector<rtl::PeInputs>& recorded_inputs() const { return m_recorded; }

 private:
  void apply(const rtl::PeInputs& in) {
    m_rst.write(in.rst);
    m_in_valid.write(in.valid);
    m_in_a.write(in.a);
    m_in_b.write(in.b);
    m_in_c.write(in.c);
    m_rtl.set_inputs(in);
    m_history[m_next_cycle % m_history.size()] = in;
    if (m_recorded.size() < kReplayRoundCycles) m_recorded.push_back(in);
  }

  void on_rising_edge() { m_rtl.rising_edge(); }

  void on_falling_edge() {
    m_rtl.falling_edge();
    const rtl::PeOutputs rtl_out = m_rtl.outputs();
    const rtl::PeOutputs model_out{m_out_valid.read(), m_out_acc.read(), m_out_result.read()};
    const uint64_t cycle = m_next_cycle++;
    ++m_result.cycles;
    if (model_out.valid) ++m_result.valid_outputs;
    if (!(model_out == rtl_out)) {
      ++m_result.mismatches;
      const uint64_t input_cycle = cycle + 1 >= m_latency ? cycle + 1 - m_latency : 0;
      m_result.first_mismatch =
          Mismatch{cycle, input_cycle, m_history[input_cycle % m_history.size()], model_out, rtl_out};
      sc_core::sc_stop();
      return;
    }
    if (m_result.cycles >= m_cycles || m_stimulus.exhausted(m_next_cycle)) {
      sc_core::sc_stop();
      return;
    }
    apply(m_stimulus.next(m_next_cycle, model_out));
  }

  sc_core::sc_clock m_clock;
  sc_core::sc_signal<bool> m_rst, m_in_valid, m_out_valid;
  sc_core::sc_signal<uint64_t> m_in_a, m_in_b, m_in_c, m_out_acc, m_out_result;
  pe::PeModel m_model;
  rtl::IRtlPe& m_rtl;
  Stimulus& m_stimulus;
  uint64_t m_cycles;
  uint64_t m_latency;
  CosimResult& m_result;
  uint64_t m_next_cycle = 0;
  std::array<rtl::PeInputs, 16> m_history{};  // inputs of the last cycles, by cycle modulo 16 (latency <= 8)
  std::vector<rtl::PeInputs> m_recorded;
};

// Each side's own speed: the recorded inputs (which start with reset) replayed through a fresh PePipeline (the
// model's clock-process body) and through the RTL (inputs, both edges, outputs), each loop timed as a whole so that
// neither carries a per-cycle timer or the SystemC kernel. The two sides alternate for kReplayRounds rounds and each
// keeps its fastest round: on a shared machine a burst of other load then slows neither side's figure.
double replay_model_seconds(const pe::PeInstance& pe, const std::vector<rtl::PeInputs>& inputs, uint64_t& sink) {
  pe::PePipeline model(*pe.core, pe.timing);
  const auto start = Clock::now();
  for (const rtl::PeInputs& in : inputs) {
    const pe::PeOutputs& out = model.rising_edge(in);
    sink += out.acc ^ out.result;
  }
  return seconds_since(start);
}

double replay_rtl_seconds(rtl::IRtlPe& rtl, const std::vector<rtl::PeInputs>& inputs, uint64_t& sink) {
  const auto start = Clock::now();
  for (const rtl::PeInputs& in : inputs) {
    rtl.set_inputs(in);
    rtl.rising_edge();
    rtl.falling_edge();
    const rtl::PeOutputs out = rtl.outputs();
    sink -= out.acc ^ out.result;
  }
  return seconds_since(start);
}

void time_replay(const pe::PeInstance& pe, rtl::IRtlPe& rtl, const std::vector<rtl::PeInputs>& inputs,
                 CosimResult& result) {
  if (inputs.empty()) return;
  const size_t repeats = (kReplayRoundCycles + inputs.size() - 1) / inputs.size();
  std::vector<rtl::PeInputs> round;  // the recording repeated to a round's length, each repeat from reset
  for (size_t r = 0; r < repeats; ++r) round.insert(round.end(), inputs.begin(), inputs.end());
  uint64_t sink = 0;  // model minus RTL outputs: keeps the work observable, and 0 when both agree
  result.model_seconds = result.rtl_seconds = std::numeric_limits<double>::infinity();
  for (int r = 0; r < kReplayRounds; ++r) {
    result.model_seconds = std::min(result.model_seconds, replay_model_seconds(pe, round, sink));
    result.rtl_seconds = std::min(result.rtl_seconds, replay_rtl_seconds(rtl, round, sink));
  }
  result.speed_cycles = round.size();
  result.replay_checksum = sink;
}

}  // namespace

CosimResult run_lockstep(const pe::PeInstance& pe, rtl::IRtlPe& rtl, Stimulus& stimulus, uint64_t cycles) {
  CosimResult result;
  LockstepBench bench("cosim", pe, rtl, stimulus, cycles, result);
  const auto start = Clock::now();
  sc_core::sc_start();
  result.wall_seconds = seconds_since(start);
  if (result.mismatches == 0) time_replay(pe, rtl, bench.recorded_inputs(), result);
  return result;
}

void write_mismatch_vcd(rtl::IRtlPe& traced_rtl, Stimulus& stimulus, const Mismatch& mismatch, uint64_t window_cycles,
                        const std::string& vcd_path) {
  const uint64_t first_dumped = mismatch.cycle > window_cycles ? mismatch.cycle - window_cycles : 0;
  const uint64_t last = mismatch.cycle + 2;
  traced_rtl.open_vcd(vcd_path);
  rtl::PeOutputs observed;
  for (uint64_t cycle = 0; cycle <= last; ++cycle) {
    traced_rtl.set_inputs(stimulus.next(cycle, observed));
    if (cycle >= first_dumped) traced_rtl.dump_vcd(cycle * kPeriodPs);
    traced_rtl.rising_edge();
    if (cycle >= first_dumped) traced_rtl.dump_vcd(cycle * kPeriodPs + kPeriodPs / 2 - 1);
    traced_rtl.falling_edge();
    observed = traced_rtl.outputs();
    if (cycle >= first_dumped) traced_rtl.dump_vcd(cycle * kPeriodPs + kPeriodPs / 2);
  }
  traced_rtl.close_vcd();
}

}  // namespace pesim::cosim

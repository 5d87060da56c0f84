// SPDX-License-Identifier: Apache-2.0
#include "sim/cosim/cosim_run.h"

#include <array>
#include <chrono>
#include <systemc>

#include "models/pe/pe_sc.h"

namespace pesim::cosim {

namespace {

using Clock = std::chrono::steady_clock;
constexpr uint64_t kPeriodPs = 10000;

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

  double model_seconds() const { return m_model.busy_seconds(); }

 private:
  void apply(const rtl::PeInputs& in) {
    m_rst.write(in.rst);
    m_in_valid.write(in.valid);
    m_in_a.write(in.a);
    m_in_b.write(in.b);
    m_in_c.write(in.c);
    m_rtl.set_inputs(in);
    m_history[m_next_cycle % m_history.size()] = in;
  }

  void on_rising_edge() {
    const auto start = Clock::now();
    m_rtl.rising_edge();
    m_result.rtl_seconds += seconds_since(start);
  }

  void on_falling_edge() {
    const auto start = Clock::now();
    m_rtl.falling_edge();
    const rtl::PeOutputs rtl_out = m_rtl.outputs();
    m_result.rtl_seconds += seconds_since(start);
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
};

}  // namespace

CosimResult run_lockstep(const pe::PeInstance& pe, rtl::IRtlPe& rtl, Stimulus& stimulus, uint64_t cycles) {
  CosimResult result;
  LockstepBench bench("cosim", pe, rtl, stimulus, cycles, result);
  const auto start = Clock::now();
  sc_core::sc_start();
  result.wall_seconds = seconds_since(start);
  result.model_seconds = bench.model_seconds();
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

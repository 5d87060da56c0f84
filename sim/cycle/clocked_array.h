// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <systemc>

namespace pesim::cycle {

// What the array modules share: one process per rising clock edge, which advances the loaded fold by one edge
// until it is done, and the wall time of simulating the folds (the engine's own speed, SystemC kernel included; timed
// per fold by the engine, not per edge, whose clock reads would cost a tenth of a small array's edge).
class ClockedArray : public sc_core::sc_module {
 public:
  sc_core::sc_in<bool> clk;

  double busy_seconds() const { return m_busy_seconds; }
  void add_busy_time(double seconds) { m_busy_seconds += seconds; }

 protected:
  explicit ClockedArray(const sc_core::sc_module_name& name) : sc_core::sc_module(name) {
    SC_HAS_PROCESS(ClockedArray);
    SC_METHOD(on_rising_edge);
    sensitive << clk.pos();
    dont_initialize();
  }

  virtual bool done() const = 0;
  virtual void edge() = 0;  // one rising edge of the loaded fold
  void reset_busy_time() { m_busy_seconds = 0; }

 private:
  void on_rising_edge() {
    if (!done()) edge();
  }

  double m_busy_seconds = 0;
};

}  // namespace pesim::cycle

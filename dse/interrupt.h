// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <stdexcept>

namespace pesim::dse {

// Ctrl-C (SIGINT) and SIGTERM during a sweep: the first asks the sweep to stop after the evaluation in flight is
// stored, so the run can be marked interrupted and resumed; a second one ends the process at once (the store stays
// consistent either way: every evaluation is its own transaction). Installed for the guard's lifetime.
class InterruptGuard {
 public:
  InterruptGuard();
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;
};

// What the sweep throws when asked to stop; signal() is the signal's number (the exit status is 128 + it).
class Interrupted : public std::runtime_error {
 public:
  explicit Interrupted(int signal);
  int signal() const { return m_signal; }

 private:
  int m_signal;
};

// Throws Interrupted when a signal has arrived since the guard was installed.
void stop_if_interrupted();

}  // namespace pesim::dse

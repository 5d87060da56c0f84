// SPDX-License-Identifier: Apache-2.0
#include "dse/interrupt.h"

#include <csignal>
#include <string>

namespace pesim::dse {

namespace {

volatile std::sig_atomic_t g_signal = 0;
struct sigaction g_previous_int {};
struct sigaction g_previous_term {};

// Async-signal-safe: records the first signal; on the second, the default action ends the process.
void on_signal(int signal) {
  if (g_signal != 0) {
    std::signal(signal, SIG_DFL);
    std::raise(signal);
    return;
  }
  g_signal = signal;
}

}  // namespace

InterruptGuard::InterruptGuard() {
  g_signal = 0;
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, &g_previous_int);
  sigaction(SIGTERM, &action, &g_previous_term);
}

InterruptGuard::~InterruptGuard() {
  sigaction(SIGINT, &g_previous_int, nullptr);
  sigaction(SIGTERM, &g_previous_term, nullptr);
}

Interrupted::Interrupted(int signal)
    : std::runtime_error(std::string("interrupted by ") + (signal == SIGINT ? "SIGINT" : "SIGTERM") +
                         "; every evaluation finished so far is stored"),
      m_signal(signal) {}

void stop_if_interrupted() {
  if (g_signal != 0) throw Interrupted(g_signal);
}

}  // namespace pesim::dse

// SPDX-License-Identifier: Apache-2.0
#include "sim/cycle/worker_team.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace pesim::cycle {

namespace {

// A member waiting for work pauses for a while, then yields its core at every look (so that on a busy or oversubscribed
// machine the clock process still runs), then blocks.
constexpr int kSpinsBeforeYielding = 1 << 10;
constexpr int kSpinsBeforeBlocking = 1 << 14;

inline void pause() {
#if defined(__x86_64__)
  _mm_pause();
#endif
}

}  // namespace

WorkerTeam::WorkerTeam(int members) {
  for (int member = 1; member < members; ++member) m_threads.emplace_back([this, member] { serve(member); });
}

WorkerTeam::~WorkerTeam() {
  m_stop.store(true, std::memory_order_release);
  m_generation.fetch_add(1, std::memory_order_release);
  m_generation.notify_all();
  for (std::thread& thread : m_threads) thread.join();
}

void WorkerTeam::run(const std::function<void(int)>& task) {
  if (m_threads.empty()) return task(0);
  m_task = &task;
  m_pending.store(static_cast<int>(m_threads.size()), std::memory_order_relaxed);
  m_generation.fetch_add(1, std::memory_order_release);  // publishes m_task and m_pending
  m_generation.notify_all();
  task(0);
  for (int spins = 0; m_pending.load(std::memory_order_acquire) != 0; ++spins) {
    if (spins < kSpinsBeforeYielding) {
      pause();
    } else {
      std::this_thread::yield();
    }
  }
}

void WorkerTeam::serve(int member) {
  uint64_t seen = 0;
  for (;;) {
    uint64_t generation = m_generation.load(std::memory_order_acquire);
    for (int spins = 0; generation == seen && spins < kSpinsBeforeBlocking; ++spins) {
      if (spins < kSpinsBeforeYielding) {
        pause();
      } else {
        std::this_thread::yield();
      }
      generation = m_generation.load(std::memory_order_acquire);
    }
    if (generation == seen) {
      m_generation.wait(seen, std::memory_order_acquire);
      generation = m_generation.load(std::memory_order_acquire);
    }
    seen = generation;
    if (m_stop.load(std::memory_order_acquire)) return;
    (*m_task)(member);
    m_pending.fetch_sub(1, std::memory_order_acq_rel);
  }
}

}  // namespace pesim::cycle

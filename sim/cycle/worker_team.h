// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <thread>
#include <vector>

namespace pesim::cycle {

// A fixed team of threads for work split at a fine grain (a clock edge's work, a microsecond or so): run(task) calls
// task(i) for every member i, the caller being member 0, and returns when all have finished. Members wait for work by
// spinning for a while (a clock process hands out work every few microseconds, and sleeping would cost more than the
// work), then by blocking on an atomic; the caller spins for the others, yielding its core when they are slow to come.
class WorkerTeam {
 public:
  explicit WorkerTeam(int members);
  ~WorkerTeam();
  WorkerTeam(const WorkerTeam&) = delete;
  WorkerTeam& operator=(const WorkerTeam&) = delete;

  int members() const { return static_cast<int>(m_threads.size()) + 1; }
  void run(const std::function<void(int)>& task);

 private:
  void serve(int member);

  std::vector<std::thread> m_threads;
  std::atomic<uint64_t> m_generation{0};
  std::atomic<int> m_pending{0};
  std::atomic<bool> m_stop{false};
  const std::function<void(int)>* m_task = nullptr;
};

}  // namespace pesim::cycle

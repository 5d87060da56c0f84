// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <algorithm>
#include <cstdint>
#include <systemc>
#include <vector>

#include "models/array/arch.h"
#include "sim/cycle/array_observer.h"
#include "sim/cycle/clocked_array.h"

namespace pesim::cycle {

// One fold of an os array: an R x C tile of outputs, A's rows entering from the left and B's columns from the top.
struct OutputFold {
  int64_t rows_used = 0, cols_used = 0, reduction = 0;  // K
  std::vector<uint64_t> rows;                           // R x K: row r is A's row of output row r
  std::vector<uint64_t> columns;                        // K x C: column c is B's column of output column c
};

// The os array's registers and its clock process: PE (r, c) holds the partial sum of output (r, c) and takes
// reduction step k at tau = k + r + c, its a from the left neighbour and its b from the one above (one cycle per
// hop), so a fold ends with its last MAC, after rows_used + cols_used + K - 2 edges; the accumulators are then read
// out in parallel (the next fold's first MACs overlap that readout in hardware). Needs a one-cycle PE: a deeper
// pipeline could not accumulate every cycle in place.
class OutputStationaryArray final : public ClockedArray {
 public:
  explicit OutputStationaryArray(const sc_core::sc_module_name& name) : ClockedArray(name) {}

  void configure(const array::ArchSpec& arch, IArrayObserver* observer = nullptr) {
    m_observer = observer;
    m_core = arch.pe.core.get();
    m_rows = arch.rows;
    m_cols = arch.cols;
    m_a.assign(static_cast<size_t>(m_rows * m_cols), 0);
    m_b.assign(m_a.size(), 0);
    m_acc.assign(m_a.size(), 0);
    m_fold = nullptr;
    m_operations = 0;
    reset_busy_time();
  }

  void load(const OutputFold* fold) {
    m_fold = fold;
    m_cycle = 0;
    std::fill(m_acc.begin(), m_acc.end(), m_core->zero_acc());
    if (m_observer != nullptr) m_observer->fold_loaded(*fold);
  }
  void unload() { m_fold = nullptr; }  // the fold's data goes away: the clock process must not touch it
  bool done() const override {
    return m_fold == nullptr || m_cycle >= m_fold->rows_used + m_fold->cols_used + m_fold->reduction - 2;
  }
  int64_t fold_cycles() const { return m_cycle; }
  uint64_t accumulator(int64_t r, int64_t c) const { return m_acc[static_cast<size_t>(r * m_cols + c)]; }
  int64_t operations() const { return m_operations; }

 private:
  void edge() override {
    step(m_cycle);
    if (m_observer != nullptr) {
      m_observer->edge(m_cycle, m_edge_outputs);
      m_edge_outputs.clear();
    }
    ++m_cycle;
  }

  // Rows bottom-up, so each reads the b registers of the row above as they were before this edge; within a row the
  // a words shift right by one column over the band of PEs that hold work (k = tau - r - c in [0, K)).
  void step(int64_t tau) {
    const int64_t k_count = m_fold->reduction;
    for (int64_t r = m_fold->rows_used - 1; r >= 0; --r) {
      const int64_t k_at_col0 = tau - r;
      const int64_t hi = std::min(m_fold->cols_used - 1, k_at_col0);
      const int64_t lo = std::max<int64_t>(0, k_at_col0 - (k_count - 1));
      if (hi < lo) continue;
      const size_t row = static_cast<size_t>(r * m_cols);
      uint64_t* a = &m_a[row];
      if (lo > 0) {
        std::copy_backward(a + lo - 1, a + hi, a + hi + 1);
      } else {
        std::copy_backward(a, a + hi, a + hi + 1);
        a[0] = m_fold->rows[static_cast<size_t>(r * k_count + k_at_col0)];
      }
      uint64_t* b = &m_b[row];
      for (int64_t c = lo; c <= hi; ++c) {
        const int64_t k = k_at_col0 - c;
        b[c] = r == 0 ? m_fold->columns[static_cast<size_t>(k * m_cols + c)] : m_b[row - m_cols + c];
      }
      uint64_t* acc = &m_acc[row + lo];
      m_core->mac_n(a + lo, b + lo, acc, acc, static_cast<size_t>(hi - lo + 1));
      m_operations += hi - lo + 1;
      // PE (r, lo) took its chain's last step when its k = k_at_col0 - lo is K - 1.
      if (m_observer != nullptr && k_at_col0 - lo == k_count - 1) m_edge_outputs.push_back({r, lo, acc[0]});
    }
  }

  const pe::IPeCore* m_core = nullptr;
  int64_t m_rows = 0, m_cols = 0;
  std::vector<uint64_t> m_a, m_b, m_acc;
  const OutputFold* m_fold = nullptr;
  IArrayObserver* m_observer = nullptr;
  std::vector<EdgeOutput> m_edge_outputs;  // of the current edge, for the observer
  int64_t m_cycle = 0, m_operations = 0;
};

}  // namespace pesim::cycle

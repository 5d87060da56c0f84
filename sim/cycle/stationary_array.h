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

// One fold of a ws-style array: stationary words (R x C, index [r][c] = row r of the reduction, column c), the
// streamed rows (T of them, each R words: element r for array row r), and the partial sums in and out (T x C).
struct Fold {
  int64_t rows_used = 0, cols_used = 0, streamed = 0;
  int64_t first_reduction_index = 0;         // k of array row 0 (0: the partial sums start from zero_acc())
  std::vector<uint64_t> stationary;          // R x C
  std::vector<uint64_t> stream;              // T x R
  std::vector<uint64_t>* partial = nullptr;  // T x C, read at the top, written at the bottom
};

// The ws/is array's registers and its clock process (the stationary operand is B for ws, A for is). configure() sizes
// it for an architecture (SystemC elaborates once per process, so one module serves every array a run simulates); a
// fold is started by load(), and done() turns true when its last partial sum has been written.
class StationaryArray final : public ClockedArray {
 public:
  explicit StationaryArray(const sc_core::sc_module_name& name) : ClockedArray(name) {}

  void configure(const array::ArchSpec& arch, bool stationary_is_b, IArrayObserver* observer = nullptr) {
    m_observer = observer;
    m_core = arch.pe.core.get();
    m_rows = arch.rows;
    m_cols = arch.cols;
    m_latency = arch.pe.timing.latency_cycles;
    m_stationary_is_b = stationary_is_b;
    m_weight.assign(static_cast<size_t>(m_rows * m_cols), 0);
    m_act.assign(m_weight.size(), 0);
    m_pipe.assign(static_cast<size_t>(m_rows * m_cols * m_latency), 0);
    m_pipe_next.assign(m_latency == 1 ? m_pipe.size() : 0, 0);
    m_top_in.assign(static_cast<size_t>(m_cols), 0);
    m_fold = nullptr;
    m_operations = 0;
    reset_busy_time();
  }

  void load(Fold* fold) {
    m_fold = fold;
    m_cycle = 0;
    m_written = 0;
    // One stage: the band's PEs (those that compute a partial sum that is used) counted at once, as step_rows()
    // computes the whole array.
    if (m_latency == 1) m_operations += fold->rows_used * fold->cols_used * fold->streamed;
    if (m_observer != nullptr) m_observer->fold_loaded(*fold);
  }
  void unload() { m_fold = nullptr; }  // the fold's data goes away: the clock process must not touch it
  bool done() const override { return m_fold == nullptr || m_written == m_fold->streamed * m_fold->cols_used; }
  int64_t fold_cycles() const { return m_cycle; }  // edges this fold has taken (final once done())
  int64_t operations() const { return m_operations; }

 private:
  void edge() override {
    if (m_cycle < m_rows) {
      shift_weights();
    } else {
      step();
    }
    if (m_observer != nullptr) {
      m_observer->edge(m_cycle, m_edge_outputs);
      m_edge_outputs.clear();
    }
    ++m_cycle;
  }

  // Weights enter the top row and shift down one row per cycle: after R cycles row r holds its own.
  void shift_weights() {
    for (int64_t r = m_rows - 1; r > 0; --r) {
      for (int64_t c = 0; c < m_cols; ++c) m_weight[r * m_cols + c] = m_weight[(r - 1) * m_cols + c];
    }
    const int64_t source_row = m_rows - 1 - m_cycle;
    for (int64_t c = 0; c < m_cols; ++c) m_weight[c] = m_fold->stationary[source_row * m_cols + c];
  }

  uint64_t& stage(int64_t r, int64_t c, int64_t s) {
    return m_pipe[static_cast<size_t>((r * m_cols + c) * m_latency + s)];
  }

  // One clock edge of the streaming phase. Row r's streamed word number `index` is in column c at
  // tau = index + r * L + c, so only a diagonal band of each row holds work; registers outside it are not read
  // before they are written again. PEs are visited bottom-up and right to left, so that each reads its upper and left
  // neighbours' registers as they were before this edge; the bottom row's output registers are then written to the
  // output buffer (its write port samples them as they are set).
  void step() {
    const int64_t tau = m_cycle - m_rows;
    if (m_latency == 1) {
      step_rows(tau);
    } else {
      step_pipelined(tau);
    }
    write_bottom_row(tau);
  }

  // The one-stage case, the whole array at once. Every PE's output register is a function of the registers as they
  // were before this edge, so the edge computes a second copy of the registers from the first and swaps them:
  // the streamed words shift one column right (column 0 takes the stream's next word), and each PE adds its product to
  // the partial sum above it, in one mac_n() call for rows 1.. and one for the top row (fed from the output buffer).
  // PEs outside the band compute on stale registers; those results are never read (see step()), so computing them
  // costs less than skipping them. Rows beyond K pass the partial sums on unchanged.
  void step_rows(int64_t tau) {
    const int64_t streamed = m_fold->streamed, cols_used = m_fold->cols_used, rows_used = m_fold->rows_used;
    const auto cols = static_cast<size_t>(m_cols);
    std::copy_backward(m_act.begin(), m_act.end() - 1, m_act.end());
    for (int64_t r = 0; r < m_rows; ++r) {
      const int64_t index = tau - r;
      m_act[static_cast<size_t>(r) * cols] =
          index >= 0 && index < streamed ? m_fold->stream[static_cast<size_t>(index * m_rows + r)] : 0;
    }
    for (int64_t c = 0; c < cols_used; ++c) {  // the top row reads the output buffer, along a diagonal
      const int64_t index = tau - c;
      m_top_in[static_cast<size_t>(c)] =
          index >= 0 && index < streamed ? (*m_fold->partial)[static_cast<size_t>(index * cols_used + c)] : 0;
    }
    const uint64_t* act = m_act.data();
    const uint64_t* weight = m_weight.data();
    const uint64_t* a = m_stationary_is_b ? act : weight;
    const uint64_t* b = m_stationary_is_b ? weight : act;
    const uint64_t* above = m_pipe.data();
    uint64_t* out = m_pipe_next.data();
    m_core->mac_n(a, b, m_top_in.data(), out, cols);
    const auto inner = static_cast<size_t>(rows_used - 1) * cols;
    m_core->mac_n(a + cols, b + cols, above, out + cols, inner);
    std::copy(above + inner, above + (m_rows - 1) * cols, out + cols + inner);  // rows beyond K
    m_pipe.swap(m_pipe_next);
  }

  // Any number of stages, PE by PE.
  void step_pipelined(int64_t tau) {
    const int64_t streamed = m_fold->streamed, cols_used = m_fold->cols_used;
    for (int64_t r = m_rows - 1; r >= 0; --r) {
      const int64_t index_at_col0 = tau - r * m_latency;
      const int64_t hi = std::min(cols_used - 1, index_at_col0);
      const int64_t lo = std::max<int64_t>(0, index_at_col0 - (streamed - 1) - (m_latency - 1));
      for (int64_t c = hi; c >= lo; --c) {
        const int64_t index = index_at_col0 - c;
        for (int64_t s = m_latency - 1; s > 0; --s) stage(r, c, s) = stage(r, c, s - 1);
        if (index >= streamed) continue;  // only its pipeline still drains
        const size_t i = static_cast<size_t>(r * m_cols + c);
        m_act[i] = c == 0 ? m_fold->stream[static_cast<size_t>(index * m_rows + r)] : m_act[i - 1];
        const uint64_t in =
            r == 0 ? (*m_fold->partial)[static_cast<size_t>(index * cols_used + c)] : stage(r - 1, c, m_latency - 1);
        if (r >= m_fold->rows_used) {  // beyond K: the partial sum passes unchanged
          stage(r, c, 0) = in;
          continue;
        }
        const uint64_t a = m_stationary_is_b ? m_act[i] : m_weight[i];
        const uint64_t b = m_stationary_is_b ? m_weight[i] : m_act[i];
        stage(r, c, 0) = m_core->mac(a, b, in);
        ++m_operations;
      }
    }
  }

  void write_bottom_row(int64_t tau) {
    for (int64_t c = 0; c < m_fold->cols_used; ++c) {
      const int64_t index = tau - (m_rows - 1) * m_latency - c - (m_latency - 1);
      if (index < 0 || index >= m_fold->streamed) continue;
      const uint64_t word = stage(m_rows - 1, c, m_latency - 1);
      (*m_fold->partial)[static_cast<size_t>(index * m_fold->cols_used + c)] = word;
      ++m_written;
      if (m_observer != nullptr) m_edge_outputs.push_back({index, c, word});
    }
  }

  const pe::IPeCore* m_core = nullptr;
  int64_t m_rows = 0, m_cols = 0, m_latency = 1;
  bool m_stationary_is_b = true;
  std::vector<uint64_t> m_weight, m_act;
  std::vector<uint64_t> m_pipe;       // each PE's L output-pipeline registers
  std::vector<uint64_t> m_pipe_next;  // one stage: the registers after the current edge
  std::vector<uint64_t> m_top_in;     // the top row's partial sums of this edge
  Fold* m_fold = nullptr;
  IArrayObserver* m_observer = nullptr;
  std::vector<EdgeOutput> m_edge_outputs;  // of the current edge, for the observer
  int64_t m_cycle = 0, m_written = 0, m_operations = 0;
};

}  // namespace pesim::cycle

// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <systemc>
#include <vector>

#include "models/array/arch.h"
#include "sim/cycle/array_observer.h"
#include "sim/cycle/clocked_array.h"
#include "sim/cycle/worker_team.h"

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

// One fold's registers and progress in a StationaryArray (a lane: the array simulates up to `lanes` independent folds
// side by side, each as the array would run it alone).
struct FoldLane {
  std::vector<uint64_t> weight, act;
  std::vector<uint64_t> pipe;       // each PE's L output-pipeline registers
  std::vector<uint64_t> pipe_next;  // one stage: the registers after the current edge
  std::vector<uint64_t> top_in;     // the top row's partial sums of this edge
  Fold* fold = nullptr;
  std::vector<EdgeOutput> edge_outputs;  // of the current edge, for the observer
  int64_t cycle = 0, written = 0, operations = 0;

  bool done() const { return fold == nullptr || written == fold->streamed * fold->cols_used; }
};

// The ws/is array's registers and its clock process (the stationary operand is B for ws, A for is). configure() sizes
// it for an architecture (SystemC elaborates once per process, so one module serves every array a run simulates); a
// fold is started by load(), and done() turns true when its last partial sum has been written.
//
// Lanes: configured with `lanes` > 1, the array holds that many folds at once, each in its own registers, and each
// clock edge advances every lane by one edge of its own fold, the lanes spread over the WorkerTeam's threads if it
// has one (more lanes than threads share out the clock process's own cost and the team's synchronization). The engine
// gives lanes only folds that do not depend on each other (different output columns), so each lane computes exactly
// what the array computes for that fold alone; it counts each lane's edges as that fold's cycles. Lanes are for speed
// only: an observer (RTL lockstep) needs one lane.
class StationaryArray final : public ClockedArray {
 public:
  explicit StationaryArray(const sc_core::sc_module_name& name) : ClockedArray(name) {}

  void configure(const array::ArchSpec& arch, bool stationary_is_b, IArrayObserver* observer = nullptr,
                 WorkerTeam* team = nullptr, int lanes = 1) {
    m_observer = observer;
    m_team = team;
    m_core = arch.pe.core.get();
    m_rows = arch.rows;
    m_cols = arch.cols;
    m_latency = arch.pe.timing.latency_cycles;
    m_stationary_is_b = stationary_is_b;
    m_lanes.assign(static_cast<size_t>(std::max(lanes, 1)), FoldLane{});
    if (observer != nullptr && m_lanes.size() != 1) throw std::invalid_argument("an observed array runs one lane");
    for (FoldLane& l : m_lanes) {
      l.weight.assign(static_cast<size_t>(m_rows * m_cols), 0);
      l.act.assign(l.weight.size(), 0);
      l.pipe.assign(static_cast<size_t>(m_rows * m_cols * m_latency), 0);
      l.pipe_next.assign(m_latency == 1 ? l.pipe.size() : 0, 0);
      l.top_in.assign(static_cast<size_t>(m_cols), 0);
    }
    reset_busy_time();
  }

  int lanes() const { return static_cast<int>(m_lanes.size()); }
  void load(Fold* fold, int lane = 0) {
    FoldLane& l = m_lanes[static_cast<size_t>(lane)];
    l.fold = fold;
    l.cycle = 0;
    l.written = 0;
    // One stage: the band's PEs (those that compute a partial sum that is used) counted at once, as step_rows()
    // computes the whole array.
    if (m_latency == 1) l.operations += fold->rows_used * fold->cols_used * fold->streamed;
    if (m_observer != nullptr) m_observer->fold_loaded(*fold);
  }
  // The folds' data go away: the clock process must not touch them.
  void unload() {
    for (FoldLane& l : m_lanes) l.fold = nullptr;
  }
  bool done() const override {
    return std::all_of(m_lanes.begin(), m_lanes.end(), [](const FoldLane& l) { return l.done(); });
  }
  // Edges the lane's fold has taken (final once done()).
  int64_t fold_cycles(int lane = 0) const { return m_lanes[static_cast<size_t>(lane)].cycle; }
  int64_t operations() const {
    int64_t total = 0;
    for (const FoldLane& l : m_lanes) total += l.operations;
    return total;
  }

 private:
  void edge() override {
    if (m_team == nullptr) {
      for (FoldLane& l : m_lanes) lane_edge(l);
      return;
    }
    m_team->run([this](int member) {
      for (size_t i = static_cast<size_t>(member); i < m_lanes.size(); i += static_cast<size_t>(m_team->members())) {
        lane_edge(m_lanes[i]);
      }
    });
  }

  void lane_edge(FoldLane& l) {
    if (l.done()) return;
    if (l.cycle < m_rows) {
      shift_weights(l);
    } else {
      step(l);
    }
    if (m_observer != nullptr) {
      m_observer->edge(l.cycle, l.edge_outputs);
      l.edge_outputs.clear();
    }
    ++l.cycle;
  }

  // Weights enter the top row and shift down one row per cycle: after R cycles row r holds its own.
  void shift_weights(FoldLane& l) {
    for (int64_t r = m_rows - 1; r > 0; --r) {
      for (int64_t c = 0; c < m_cols; ++c) l.weight[r * m_cols + c] = l.weight[(r - 1) * m_cols + c];
    }
    const int64_t source_row = m_rows - 1 - l.cycle;
    for (int64_t c = 0; c < m_cols; ++c) l.weight[c] = l.fold->stationary[source_row * m_cols + c];
  }

  uint64_t& stage(FoldLane& l, int64_t r, int64_t c, int64_t s) {
    return l.pipe[static_cast<size_t>((r * m_cols + c) * m_latency + s)];
  }

  // One clock edge of the streaming phase. Row r's streamed word number `index` is in column c at
  // tau = index + r * L + c, so only a diagonal band of each row holds work; registers outside it are not read
  // before they are written again. PEs are visited bottom-up and right to left, so that each reads its upper and left
  // neighbours' registers as they were before this edge; the bottom row's output registers are then written to the
  // output buffer (its write port samples them as they are set).
  void step(FoldLane& l) {
    const int64_t tau = l.cycle - m_rows;
    if (m_latency == 1) {
      step_rows(l, tau);
    } else {
      step_pipelined(l, tau);
    }
    write_bottom_row(l, tau);
  }

  // The one-stage case, the whole array at once. Every PE's output register is a function of the registers as they
  // were before this edge, so the edge computes a second copy of the registers from the first and swaps them:
  // the streamed words shift one column right (column 0 takes the stream's next word), and each PE adds its product to
  // the partial sum above it, in one mac_n() call for rows 1.. and one for the top row (fed from the output buffer).
  // PEs outside the band compute on stale registers; those results are never read (see step()), so computing them
  // costs less than skipping them. Rows beyond K pass the partial sums on unchanged.
  void step_rows(FoldLane& l, int64_t tau) {
    const int64_t streamed = l.fold->streamed, cols_used = l.fold->cols_used, rows_used = l.fold->rows_used;
    const auto cols = static_cast<size_t>(m_cols);
    std::copy_backward(l.act.begin(), l.act.end() - 1, l.act.end());
    for (int64_t r = 0; r < m_rows; ++r) {
      const int64_t index = tau - r;
      l.act[static_cast<size_t>(r) * cols] =
          index >= 0 && index < streamed ? l.fold->stream[static_cast<size_t>(index * m_rows + r)] : 0;
    }
    for (int64_t c = 0; c < cols_used; ++c) {  // the top row reads the output buffer, along a diagonal
      const int64_t index = tau - c;
      l.top_in[static_cast<size_t>(c)] =
          index >= 0 && index < streamed ? (*l.fold->partial)[static_cast<size_t>(index * cols_used + c)] : 0;
    }
    const uint64_t* act = l.act.data();
    const uint64_t* weight = l.weight.data();
    const uint64_t* a = m_stationary_is_b ? act : weight;
    const uint64_t* b = m_stationary_is_b ? weight : act;
    const uint64_t* above = l.pipe.data();
    uint64_t* out = l.pipe_next.data();
    m_core->mac_n(a, b, l.top_in.data(), out, cols);
    const auto inner = static_cast<size_t>(rows_used - 1) * cols;
    m_core->mac_n(a + cols, b + cols, above, out + cols, inner);
    std::copy(above + inner, above + (m_rows - 1) * cols, out + cols + inner);  // rows beyond K
    l.pipe.swap(l.pipe_next);
  }

  // Any number of stages, PE by PE.
  void step_pipelined(FoldLane& l, int64_t tau) {
    const int64_t streamed = l.fold->streamed, cols_used = l.fold->cols_used;
    for (int64_t r = m_rows - 1; r >= 0; --r) {
      const int64_t index_at_col0 = tau - r * m_latency;
      const int64_t hi = std::min(cols_used - 1, index_at_col0);
      const int64_t lo = std::max<int64_t>(0, index_at_col0 - (streamed - 1) - (m_latency - 1));
      for (int64_t c = hi; c >= lo; --c) {
        const int64_t index = index_at_col0 - c;
        for (int64_t s = m_latency - 1; s > 0; --s) stage(l, r, c, s) = stage(l, r, c, s - 1);
        if (index >= streamed) continue;  // only its pipeline still drains
        const size_t i = static_cast<size_t>(r * m_cols + c);
        l.act[i] = c == 0 ? l.fold->stream[static_cast<size_t>(index * m_rows + r)] : l.act[i - 1];
        const uint64_t in =
            r == 0 ? (*l.fold->partial)[static_cast<size_t>(index * cols_used + c)] : stage(l, r - 1, c, m_latency - 1);
        if (r >= l.fold->rows_used) {  // beyond K: the partial sum passes unchanged
          stage(l, r, c, 0) = in;
          continue;
        }
        const uint64_t a = m_stationary_is_b ? l.act[i] : l.weight[i];
        const uint64_t b = m_stationary_is_b ? l.weight[i] : l.act[i];
        stage(l, r, c, 0) = m_core->mac(a, b, in);
        ++l.operations;
      }
    }
  }

  void write_bottom_row(FoldLane& l, int64_t tau) {
    for (int64_t c = 0; c < l.fold->cols_used; ++c) {
      const int64_t index = tau - (m_rows - 1) * m_latency - c - (m_latency - 1);
      if (index < 0 || index >= l.fold->streamed) continue;
      const uint64_t word = stage(l, m_rows - 1, c, m_latency - 1);
      (*l.fold->partial)[static_cast<size_t>(index * l.fold->cols_used + c)] = word;
      ++l.written;
      if (m_observer != nullptr) l.edge_outputs.push_back({index, c, word});
    }
  }

  const pe::IPeCore* m_core = nullptr;
  int64_t m_rows = 0, m_cols = 0, m_latency = 1;
  bool m_stationary_is_b = true;
  std::vector<FoldLane> m_lanes;
  IArrayObserver* m_observer = nullptr;
  WorkerTeam* m_team = nullptr;
};

}  // namespace pesim::cycle

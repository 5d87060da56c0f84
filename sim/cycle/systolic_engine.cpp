// SPDX-License-Identifier: Apache-2.0
#include "sim/cycle/systolic_engine.h"

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <systemc>

namespace pesim::cycle {

namespace {

// One fold of a ws-style array: stationary words (R x C, index [r][c] = row r of the reduction, column c), the
// streamed rows (T of them, each R words: element r for array row r), and the partial sums in and out (T x C).
struct Fold {
  int64_t rows_used = 0, cols_used = 0, streamed = 0;
  std::vector<uint64_t> stationary;  // R x C
  std::vector<uint64_t> stream;      // T x R
  std::vector<uint64_t>* partial = nullptr;  // T x C, read at the top, written at the bottom
};

// The array's registers and its clock process. configure() sizes it for an architecture (SystemC elaborates once per
// process, so one module serves every array a run simulates); a fold is started by load(), and done() turns true
// when its last partial sum has been written.
class SystolicArray : public sc_core::sc_module {
 public:
  sc_core::sc_in<bool> clk;

  explicit SystolicArray(const sc_core::sc_module_name& name) : sc_core::sc_module(name) {
    SC_HAS_PROCESS(SystolicArray);
    SC_METHOD(on_rising_edge);
    sensitive << clk.pos();
    dont_initialize();
  }

  void configure(const array::ArchSpec& arch, bool stationary_is_b) {
    m_core = arch.pe.core.get();
    m_rows = arch.rows;
    m_cols = arch.cols;
    m_latency = arch.pe.timing.latency_cycles;
    m_stationary_is_b = stationary_is_b;
    m_weight.assign(static_cast<size_t>(m_rows * m_cols), 0);
    m_act.assign(m_weight.size(), 0);
    m_pipe.assign(static_cast<size_t>(m_rows * m_cols * m_latency), 0);
    m_fold = nullptr;
    m_operations = 0;
    m_busy_seconds = 0;
  }

  void load(Fold* fold) {
    m_fold = fold;
    m_cycle = 0;
    m_written = 0;
  }
  bool done() const { return m_fold == nullptr || m_written == m_fold->streamed * m_fold->cols_used; }
  int64_t fold_cycles() const { return m_cycle; }  // edges this fold has taken (final once done())
  int64_t operations() const { return m_operations; }
  double busy_seconds() const { return m_busy_seconds; }

 private:
  void on_rising_edge() {
    if (done()) return;
    const auto start = std::chrono::steady_clock::now();
    if (m_cycle < m_rows) {
      shift_weights();
    } else {
      step();
    }
    ++m_cycle;
    m_busy_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }

  // Weights enter the top row and shift down one row per cycle: after R cycles row r holds its own.
  void shift_weights() {
    for (int64_t r = m_rows - 1; r > 0; --r) {
      for (int64_t c = 0; c < m_cols; ++c) m_weight[r * m_cols + c] = m_weight[(r - 1) * m_cols + c];
    }
    const int64_t source_row = m_rows - 1 - m_cycle;
    for (int64_t c = 0; c < m_cols; ++c) m_weight[c] = m_fold->stationary[source_row * m_cols + c];
  }

  uint64_t& stage(int64_t r, int64_t c, int64_t s) { return m_pipe[static_cast<size_t>((r * m_cols + c) * m_latency + s)]; }

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

  // The one-stage case, a row's band at a time: the streamed words shift right by one column, and the band's PEs
  // take one mac_n() call.
  void step_rows(int64_t tau) {
    const int64_t streamed = m_fold->streamed, cols_used = m_fold->cols_used;
    for (int64_t r = m_rows - 1; r >= 0; --r) {
      const int64_t index_at_col0 = tau - r;
      const int64_t hi = std::min(cols_used - 1, index_at_col0);
      const int64_t lo = std::max<int64_t>(0, index_at_col0 - (streamed - 1));
      if (hi < lo) continue;
      const size_t row = static_cast<size_t>(r * m_cols);
      uint64_t* act = &m_act[row];
      if (lo > 0) {
        std::copy_backward(act + lo - 1, act + hi, act + hi + 1);
      } else {
        std::copy_backward(act, act + hi, act + hi + 1);
        act[0] = m_fold->stream[static_cast<size_t>(index_at_col0 * m_rows + r)];
      }
      const uint64_t* in = &m_pipe[row - (r > 0 ? m_cols : 0) + lo];
      if (r == 0) {  // the top row reads the output buffer, along a diagonal
        m_top_in.resize(static_cast<size_t>(hi - lo + 1));
        for (int64_t c = lo; c <= hi; ++c) {
          m_top_in[static_cast<size_t>(c - lo)] =
              (*m_fold->partial)[static_cast<size_t>((index_at_col0 - c) * cols_used + c)];
        }
        in = m_top_in.data();
      }
      uint64_t* out = &m_pipe[row + lo];
      const size_t n = static_cast<size_t>(hi - lo + 1);
      if (r >= m_fold->rows_used) {  // beyond K: the partial sums pass unchanged
        std::copy(in, in + n, out);
        continue;
      }
      const uint64_t* stationary = &m_weight[row + lo];
      m_core->mac_n(m_stationary_is_b ? act + lo : stationary, m_stationary_is_b ? stationary : act + lo, in, out, n);
      m_operations += static_cast<int64_t>(n);
    }
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
        const uint64_t in = r == 0 ? (*m_fold->partial)[static_cast<size_t>(index * cols_used + c)]
                                   : stage(r - 1, c, m_latency - 1);
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
      (*m_fold->partial)[static_cast<size_t>(index * m_fold->cols_used + c)] = stage(m_rows - 1, c, m_latency - 1);
      ++m_written;
    }
  }

  const pe::IPeCore* m_core = nullptr;
  int64_t m_rows = 0, m_cols = 0, m_latency = 1;
  bool m_stationary_is_b = true;
  std::vector<uint64_t> m_weight, m_act;
  std::vector<uint64_t> m_pipe;  // each PE's L output-pipeline registers
  std::vector<uint64_t> m_top_in;  // the top row's partial sums of this edge
  Fold* m_fold = nullptr;
  int64_t m_cycle = 0, m_written = 0, m_operations = 0;
  double m_busy_seconds = 0;
};

// The one clock and array of this process, elaborated on first use.
SystolicArray& shared_array() {
  static sc_core::sc_clock clock("pesim_cycle_clock", 1, sc_core::SC_NS);
  static SystolicArray array("pesim_systolic_array");
  static const bool bound = [] {
    array.clk(clock);
    return true;
  }();
  (void)bound;
  return array;
}

void check_supported(const array::ArchSpec& arch) {
  if (arch.dataflow == array::Dataflow::OutputStationary) {
    throw std::invalid_argument("the cycle engine runs ws and is arrays; os is not built yet");
  }
  const pe::PortWidths widths = arch.pe.core->widths();
  if (widths.lanes != 1 || arch.pe.timing.initiation_interval_cycles != 1 || arch.pe.timing.operations_per_mac != 1) {
    throw std::invalid_argument("the cycle engine maps PEs that do one MAC per operation every cycle; " +
                                arch.pe.kind + " " + arch.pe.params_text() + " is not mapped yet");
  }
}

}  // namespace

CycleRun run_cycle_engine(const array::ArchSpec& arch, const GemmWords& g) {
  check_supported(arch);
  // ws: B stationary (K x N), A's rows streamed; is: A stationary (K x M as A transposed), B's columns streamed.
  const bool ws = arch.dataflow == array::Dataflow::WeightStationary;
  const int64_t spatial_cols = ws ? g.n : g.m, streamed = ws ? g.m : g.n;
  const auto stationary_word = [&](int64_t k, int64_t col) {
    return ws ? g.b[static_cast<size_t>(k * g.n + col)] : g.a[static_cast<size_t>(col * g.k + k)];
  };
  const auto streamed_word = [&](int64_t t, int64_t k) {
    return ws ? g.a[static_cast<size_t>(t * g.k + k)] : g.b[static_cast<size_t>(k * g.n + t)];
  };

  SystolicArray& array = shared_array();
  array.configure(arch, ws);
  CycleRun run;
  run.y.assign(static_cast<size_t>(g.m * g.n), 0);
  std::vector<uint64_t> partial;
  for (int64_t col0 = 0; col0 < spatial_cols; col0 += arch.cols) {
    Fold fold;
    fold.cols_used = std::min(arch.cols, spatial_cols - col0);
    fold.streamed = streamed;
    partial.assign(static_cast<size_t>(streamed * fold.cols_used), arch.pe.core->zero_acc());
    fold.partial = &partial;
    for (int64_t k0 = 0; k0 < g.k; k0 += arch.rows) {
      fold.rows_used = std::min(arch.rows, g.k - k0);
      fold.stationary.assign(static_cast<size_t>(arch.rows * arch.cols), 0);
      fold.stream.assign(static_cast<size_t>(streamed * arch.rows), 0);
      for (int64_t r = 0; r < fold.rows_used; ++r) {
        for (int64_t c = 0; c < fold.cols_used; ++c) {
          fold.stationary[static_cast<size_t>(r * arch.cols + c)] = stationary_word(k0 + r, col0 + c);
        }
        for (int64_t t = 0; t < streamed; ++t) fold.stream[static_cast<size_t>(t * arch.rows + r)] = streamed_word(t, k0 + r);
      }
      array.load(&fold);
      // The kernel advances in long runs (extra edges after the fold's end do nothing); the count is the array's.
      const int64_t expected = arch.rows + arch.rows * arch.pe.timing.latency_cycles + fold.cols_used + streamed - 2;
      sc_core::sc_start(static_cast<double>(expected), sc_core::SC_NS);
      while (!array.done()) sc_core::sc_start(1, sc_core::SC_NS);
      run.cycles += array.fold_cycles();
      ++run.folds;
    }
    for (int64_t t = 0; t < streamed; ++t) {
      for (int64_t c = 0; c < fold.cols_used; ++c) {
        const uint64_t word = arch.pe.core->finish(partial[static_cast<size_t>(t * fold.cols_used + c)]);
        const int64_t row = ws ? t : col0 + c, col = ws ? col0 + c : t;
        run.y[static_cast<size_t>(row * g.n + col)] = word;
      }
    }
  }
  run.mac_operations = array.operations();
  run.seconds = array.busy_seconds();
  return run;
}

}  // namespace pesim::cycle

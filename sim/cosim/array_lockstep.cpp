// SPDX-License-Identifier: Apache-2.0
#include "sim/cosim/array_lockstep.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <stdexcept>

#include "sim/cycle/output_stationary_array.h"
#include "sim/cycle/stationary_array.h"
#include "sim/error/pe_error.h"

namespace pesim::cosim {

namespace {

// Compares the outputs of one edge and keeps the tally (by position, whatever order each side lists them in).
class EdgeComparator {
 public:
  explicit EdgeComparator(ArrayLockstepReport& report) : m_report(report) {}

  void compare(int64_t cycle, const std::vector<cycle::EdgeOutput>& engine, const std::vector<cycle::EdgeOutput>& rtl) {
    m_report.outputs_compared += static_cast<int64_t>(engine.size());
    for (const cycle::EdgeOutput& e : engine) {
      const auto same_place = std::find_if(
          rtl.begin(), rtl.end(), [&](const cycle::EdgeOutput& r) { return r.row == e.row && r.col == e.col; });
      if (same_place == rtl.end()) {
        note(m_report.cycle_mismatches, fmt::format("fold {} cycle {}: engine output ({}, {}) = {:#x}, RTL none",
                                                    m_fold, cycle, e.row, e.col, e.word));
      } else if (same_place->word != e.word) {
        note(m_report.value_mismatches, fmt::format("fold {} cycle {}: output ({}, {}): engine {:#x}, RTL {:#x}",
                                                    m_fold, cycle, e.row, e.col, e.word, same_place->word));
      }
    }
    for (const cycle::EdgeOutput& r : rtl) {
      const bool engine_has = std::any_of(engine.begin(), engine.end(),
                                          [&](const cycle::EdgeOutput& e) { return r.row == e.row && r.col == e.col; });
      if (!engine_has) {
        note(m_report.cycle_mismatches, fmt::format("fold {} cycle {}: RTL output ({}, {}) = {:#x}, engine none",
                                                    m_fold, cycle, r.row, r.col, r.word));
      }
    }
  }
  void next_fold() { ++m_fold; }

 private:
  void note(int64_t& counter, std::string what) {
    ++counter;
    if (m_report.first_mismatches.size() < kMaxReportedMismatches) m_report.first_mismatches.push_back(std::move(what));
  }

  ArrayLockstepReport& m_report;
  int64_t m_fold = -1;
};

// One clock cycle of the RTL array: inputs applied while the clock is low, the rising edge, the outputs it set.
template <typename Inputs, typename Outputs>
void clock_cycle(rtl::IRtlArray& rtl, const Inputs& in, Outputs& out) {
  rtl.set_inputs(in);
  rtl.rising_edge();
  rtl.outputs(out);
  rtl.falling_edge();
}

// A weight- or input-stationary RTL array driven from the engine's folds. It keeps its own output buffer: a fold
// after the first along K takes the partial sums the RTL produced itself.
class StationaryBench final : public cycle::IArrayObserver {
 public:
  StationaryBench(rtl::IRtlArray& rtl, const array::ArchSpec& arch, ArrayLockstepReport& report)
      : m_rtl(rtl), m_rows(arch.rows), m_cols(arch.cols), m_zero_acc(arch.pe.core->zero_acc()), m_compare(report) {
    m_in.north_word.assign(static_cast<size_t>(m_cols), 0);
    m_in.west_word.assign(static_cast<size_t>(m_rows), 0);
    m_in.north_psum_valid.assign(static_cast<size_t>(m_cols), 0);
    m_in.north_psum.assign(static_cast<size_t>(m_cols), 0);
  }

  void fold_loaded(const cycle::Fold& fold) override {
    m_fold = &fold;
    m_compare.next_fold();
    if (fold.first_reduction_index == 0) {
      m_psum.assign(static_cast<size_t>(fold.streamed * fold.cols_used), m_zero_acc);
    }
    m_next_row.assign(static_cast<size_t>(m_cols), 0);
  }
  void fold_loaded(const cycle::OutputFold&) override { throw std::logic_error("a stationary array runs no os fold"); }

  void edge(int64_t cycle, const std::vector<cycle::EdgeOutput>& engine) override {
    drive(cycle);
    clock_cycle(m_rtl, m_in, m_out);
    m_compare.compare(cycle, engine, collect());
  }

 private:
  // The memories' side of one cycle: R load cycles, then one streamed row per cycle with its partial sums.
  void drive(int64_t cycle) {
    const cycle::Fold& f = *m_fold;
    m_in.load = cycle < m_rows;
    m_in.bypass = false;
    m_in.west_valid = false;
    std::fill(m_in.north_psum_valid.begin(), m_in.north_psum_valid.end(), 0);
    if (m_in.load) {
      const int64_t source_row = m_rows - 1 - cycle;
      m_in.bypass = source_row >= f.rows_used;
      for (int64_t c = 0; c < m_cols; ++c)
        m_in.north_word[c] = f.stationary[static_cast<size_t>(source_row * m_cols + c)];
      return;
    }
    const int64_t t = cycle - m_rows;
    if (t >= f.streamed) return;
    m_in.west_valid = true;
    for (int64_t r = 0; r < m_rows; ++r) m_in.west_word[r] = f.stream[static_cast<size_t>(t * m_rows + r)];
    for (int64_t c = 0; c < f.cols_used; ++c) {
      m_in.north_psum_valid[c] = 1;
      m_in.north_psum[c] = m_psum[static_cast<size_t>(t * f.cols_used + c)];
    }
  }

  // The bottom row's outputs of this edge: column c's n-th output is streamed row n's partial sum.
  std::vector<cycle::EdgeOutput> collect() {
    std::vector<cycle::EdgeOutput> outputs;
    for (int64_t c = 0; c < m_cols; ++c) {
      if (m_out.south_valid[c] == 0) continue;
      const int64_t row = m_next_row[c]++;
      outputs.push_back({row, c, m_out.south_psum[c]});
      if (c < m_fold->cols_used && row < m_fold->streamed) {
        m_psum[static_cast<size_t>(row * m_fold->cols_used + c)] = m_out.south_psum[c];
      }
    }
    return outputs;
  }

  rtl::IRtlArray& m_rtl;
  int64_t m_rows, m_cols;
  uint64_t m_zero_acc;
  EdgeComparator m_compare;
  const cycle::Fold* m_fold = nullptr;
  std::vector<uint64_t> m_psum;     // streamed x cols_used, the RTL's own output buffer
  std::vector<int64_t> m_next_row;  // per column: the streamed row of its next output
  rtl::StationaryArrayInputs m_in;
  rtl::StationaryArrayOutputs m_out;
};

// An output-stationary RTL array driven from the engine's folds.
class OutputStationaryBench final : public cycle::IArrayObserver {
 public:
  OutputStationaryBench(rtl::IRtlArray& rtl, const array::ArchSpec& arch, ArrayLockstepReport& report)
      : m_rtl(rtl), m_rows(arch.rows), m_cols(arch.cols), m_compare(report) {
    m_in.west_row_valid.assign(static_cast<size_t>(m_rows), 0);
    m_in.west_a.assign(static_cast<size_t>(m_rows), 0);
    m_in.north_col_valid.assign(static_cast<size_t>(m_cols), 0);
    m_in.north_b.assign(static_cast<size_t>(m_cols), 0);
  }

  void fold_loaded(const cycle::Fold&) override { throw std::logic_error("an os array runs no stationary fold"); }
  void fold_loaded(const cycle::OutputFold& fold) override {
    m_fold = &fold;
    m_compare.next_fold();
  }

  void edge(int64_t cycle, const std::vector<cycle::EdgeOutput>& engine) override {
    drive(cycle);
    clock_cycle(m_rtl, m_in, m_out);
    std::vector<cycle::EdgeOutput> rtl_outputs;
    for (int64_t i = 0; i < m_rows * m_cols; ++i) {
      if (m_out.done[i] != 0) rtl_outputs.push_back({i / m_cols, i % m_cols, m_out.acc[i]});
    }
    m_compare.compare(cycle, engine, rtl_outputs);
  }

 private:
  // Reduction step k = cycle: A's column k on the west side, B's row k on the north side.
  void drive(int64_t cycle) {
    const cycle::OutputFold& f = *m_fold;
    const bool step = cycle < f.reduction;
    m_in.first = cycle == 0;
    m_in.last = cycle == f.reduction - 1;
    for (int64_t r = 0; r < m_rows; ++r) {
      m_in.west_row_valid[r] = step && r < f.rows_used ? 1 : 0;
      m_in.west_a[r] = m_in.west_row_valid[r] != 0 ? f.rows[static_cast<size_t>(r * f.reduction + cycle)] : 0;
    }
    for (int64_t c = 0; c < m_cols; ++c) {
      m_in.north_col_valid[c] = step && c < f.cols_used ? 1 : 0;
      m_in.north_b[c] = step ? f.columns[static_cast<size_t>(cycle * m_cols + c)] : 0;
    }
  }

  rtl::IRtlArray& m_rtl;
  int64_t m_rows, m_cols;
  EdgeComparator m_compare;
  const cycle::OutputFold* m_fold = nullptr;
  rtl::OutputStationaryInputs m_in;
  rtl::OutputStationaryOutputs m_out;
};

}  // namespace

std::string array_top_module(const array::ArchSpec& arch) {
  return arch.dataflow == array::Dataflow::OutputStationary ? "systolic_output_stationary" : "systolic_stationary";
}

std::map<std::string, int64_t> array_rtl_parameters(const array::ArchSpec& arch) {
  const pe::PortWidths w = arch.pe.core->widths();
  std::map<std::string, int64_t> p{
      {"ROWS", arch.rows}, {"COLS", arch.cols}, {"A_W", w.a_bits}, {"B_W", w.b_bits}, {"ACC_W", w.acc_bits}};
  if (arch.dataflow != array::Dataflow::OutputStationary) {
    p["STAGES"] = arch.pe.timing.latency_cycles;
    p["STATIONARY_IS_B"] = arch.dataflow == array::Dataflow::WeightStationary ? 1 : 0;
  }
  return p;
}

const rtl::VerilatedArrayConfig& find_array_rtl(const array::ArchSpec& arch) {
  const rtl::VerilatedArrayConfig* config = rtl::find_verilated_array(
      arch.pe.rtl.top_module, arch.pe.rtl.parameters, array_top_module(arch), array_rtl_parameters(arch));
  if (config != nullptr) return *config;
  std::string known;
  for (const rtl::VerilatedArrayConfig& c : rtl::verilated_arrays()) known += "\n  " + c.arch_settings;
  throw std::invalid_argument("no verilated RTL array for " + arch.params_text() +
                              " (rtl/verilated_arrays.txt lists the arrays the build verilates):" + known);
}

ArrayLockstepReport run_array_lockstep(const array::ArchSpec& arch, const rtl::VerilatedArrayConfig& rtl,
                                       const cycle::GemmWords& gemm) {
  if (arch.pe.core->zero_acc() != 0) {
    throw std::invalid_argument("the output-stationary RTL array starts each chain from 0 (ZERO_ACC), and " +
                                arch.pe.kind + "'s zero_acc() is not 0");
  }
  const auto start = std::chrono::steady_clock::now();
  ArrayLockstepReport report;
  const std::unique_ptr<rtl::IRtlArray> model = rtl.make(rtl);
  model->reset();
  std::unique_ptr<cycle::IArrayObserver> bench;
  if (arch.dataflow == array::Dataflow::OutputStationary) {
    bench = std::make_unique<OutputStationaryBench>(*model, arch, report);
  } else {
    bench = std::make_unique<StationaryBench>(*model, arch, report);
  }
  const cycle::CycleRun run = cycle::run_cycle_engine(arch, gemm, {bench.get(), 0});
  report.cycles = run.cycles;
  report.folds = run.folds;
  report.outputs_expected = arch.dataflow == array::Dataflow::OutputStationary
                                ? gemm.m * gemm.n
                                : gemm.m * gemm.n * ((gemm.k + arch.rows - 1) / arch.rows);
  const error::PeGemmOperands ops{static_cast<int>(gemm.m), static_cast<int>(gemm.n), static_cast<int>(gemm.k), gemm.a,
                                  gemm.b};
  const std::vector<uint64_t> chains = error::pe_chain_gemm(*arch.pe.core, ops);
  for (size_t i = 0; i < chains.size(); ++i) report.chain_mismatches += chains[i] != run.y[i] ? 1 : 0;
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return report;
}

}  // namespace pesim::cosim

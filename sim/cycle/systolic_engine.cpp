// SPDX-License-Identifier: Apache-2.0
#include "sim/cycle/systolic_engine.h"

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <string>
#include <systemc>

#include "sim/cycle/output_stationary_array.h"
#include "sim/cycle/stationary_array.h"

namespace pesim::cycle {

namespace {

// The clock and arrays of this process, elaborated once on first use (SystemC cannot elaborate after it has run).
struct Arrays {
  sc_core::sc_clock clock{"pesim_cycle_clock", 1, sc_core::SC_NS};
  StationaryArray stationary{"pesim_stationary_array"};
  OutputStationaryArray output_stationary{"pesim_output_stationary_array"};
  Arrays() {
    stationary.clk(clock);
    output_stationary.clk(clock);
  }
};

Arrays& arrays() {
  static Arrays instance;
  return instance;
}

// Runs the kernel until `done` holds: first the fold's expected length in one run (extra edges after its end do
// nothing), then edge by edge; the cycle count is the array's own.
template <typename Array>
void run_fold(Array& array, int64_t expected_cycles) {
  sc_core::sc_start(static_cast<double>(std::max<int64_t>(expected_cycles, 1)), sc_core::SC_NS);
  while (!array.done()) sc_core::sc_start(1, sc_core::SC_NS);
}

// The DRAM side at fold granularity (CycleOptions::dram_bytes): fold i's share has arrived ceil((i + 1) D / (F B))
// cycles into the layer (D bytes, F folds, B bytes per cycle, streaming without a break).
class DramFeed {
 public:
  DramFeed(int64_t dram_bytes, int64_t bytes_per_cycle, int64_t folds)
      : m_bytes(dram_bytes),
        m_bytes_per_cycle(std::max<int64_t>(bytes_per_cycle, 1)),
        m_folds(std::max<int64_t>(folds, 1)) {}

  // Before fold `index`, `elapsed` cycles (compute and stalls) into the layer: idles the array until the fold's share
  // has arrived and returns the cycles waited.
  int64_t wait_for_fold(int64_t index, int64_t elapsed) const {
    if (m_bytes == 0) return 0;
    const auto needed = static_cast<unsigned __int128>(index + 1) * static_cast<unsigned __int128>(m_bytes);
    const auto per_cycle = static_cast<unsigned __int128>(m_folds) * static_cast<unsigned __int128>(m_bytes_per_cycle);
    const auto arrival = static_cast<int64_t>((needed + per_cycle - 1) / per_cycle);
    const int64_t wait = std::max<int64_t>(0, arrival - elapsed);
    if (wait > 0) sc_core::sc_start(static_cast<double>(wait), sc_core::SC_NS);
    return wait;
  }

 private:
  int64_t m_bytes, m_bytes_per_cycle, m_folds;
};

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

void check_supported(const array::ArchSpec& arch) {
  if (arch.dataflow == array::Dataflow::OutputStationary && arch.pe.timing.latency_cycles != 1) {
    throw std::invalid_argument("an os array accumulates in place every cycle and needs a one-cycle PE (stages=1)");
  }
  if (arch.pe.timing.initiation_interval_cycles != 1) {
    throw std::invalid_argument("the cycle engine maps PEs that take an operation every cycle; " + arch.pe.kind + " " +
                                arch.pe.params_text() + " takes one every " +
                                std::to_string(arch.pe.timing.initiation_interval_cycles) + " cycles");
  }
}

CycleRun run_output_stationary(const array::ArchSpec& arch, const GemmWords& g, const CycleOptions& options) {
  OutputStationaryArray& array = arrays().output_stationary;
  array.configure(arch, options.observer);
  const DramFeed dram(options.dram_bytes, arch.dram_bytes_per_cycle,
                      ceil_div(g.m, arch.rows) * ceil_div(g.n, arch.cols));
  CycleRun run;
  run.y.assign(static_cast<size_t>(g.m * g.n), 0);
  OutputFold fold;
  fold.reduction = g.k;
  for (int64_t m0 = 0; m0 < g.m; m0 += arch.rows) {
    fold.rows_used = std::min(arch.rows, g.m - m0);
    fold.rows.assign(g.a.begin() + m0 * g.k, g.a.begin() + (m0 + fold.rows_used) * g.k);
    for (int64_t n0 = 0; n0 < g.n; n0 += arch.cols) {
      fold.cols_used = std::min(arch.cols, g.n - n0);
      fold.columns.assign(static_cast<size_t>(g.k * arch.cols), 0);
      for (int64_t k = 0; k < g.k; ++k) {
        for (int64_t c = 0; c < fold.cols_used; ++c) {
          fold.columns[static_cast<size_t>(k * arch.cols + c)] = g.b[static_cast<size_t>(k * g.n + n0 + c)];
        }
      }
      run.stall_cycles += dram.wait_for_fold(run.folds, run.cycles + run.stall_cycles);
      array.load(&fold);
      run_fold(array, fold.rows_used + fold.cols_used + g.k - 2);
      run.cycles += array.fold_cycles();
      ++run.folds;
      array.unload();  // the fold's fields change for the next one: edges while waiting for DRAM must not run it
      for (int64_t r = 0; r < fold.rows_used; ++r) {
        for (int64_t c = 0; c < fold.cols_used; ++c) {
          run.y[static_cast<size_t>((m0 + r) * g.n + n0 + c)] = arch.pe.core->finish(array.accumulator(r, c));
        }
      }
    }
  }
  array.unload();
  run.mac_operations = array.operations();
  run.seconds = array.busy_seconds();
  return run;
}

}  // namespace

CycleRun run_cycle_engine(const array::ArchSpec& arch, const GemmWords& g, const CycleOptions& options) {
  check_supported(arch);
  if (arch.dataflow == array::Dataflow::OutputStationary) return run_output_stationary(arch, g, options);
  // ws: B stationary (K x N), A's rows streamed; is: A stationary (K x M as A transposed), B's columns streamed.
  const bool ws = arch.dataflow == array::Dataflow::WeightStationary;
  const int64_t spatial_cols = ws ? g.n : g.m, streamed = ws ? g.m : g.n;
  const auto stationary_word = [&](int64_t k, int64_t col) {
    return ws ? g.b[static_cast<size_t>(k * g.n + col)] : g.a[static_cast<size_t>(col * g.k + k)];
  };
  const auto streamed_word = [&](int64_t t, int64_t k) {
    return ws ? g.a[static_cast<size_t>(t * g.k + k)] : g.b[static_cast<size_t>(k * g.n + t)];
  };

  StationaryArray& array = arrays().stationary;
  array.configure(arch, ws, options.observer);
  const DramFeed dram(options.dram_bytes, arch.dram_bytes_per_cycle,
                      ceil_div(spatial_cols, arch.cols) * ceil_div(g.k, arch.rows));
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
      fold.first_reduction_index = k0;
      fold.stationary.assign(static_cast<size_t>(arch.rows * arch.cols), 0);
      fold.stream.assign(static_cast<size_t>(streamed * arch.rows), 0);
      for (int64_t r = 0; r < fold.rows_used; ++r) {
        for (int64_t c = 0; c < fold.cols_used; ++c) {
          fold.stationary[static_cast<size_t>(r * arch.cols + c)] = stationary_word(k0 + r, col0 + c);
        }
        for (int64_t t = 0; t < streamed; ++t)
          fold.stream[static_cast<size_t>(t * arch.rows + r)] = streamed_word(t, k0 + r);
      }
      run.stall_cycles += dram.wait_for_fold(run.folds, run.cycles + run.stall_cycles);
      array.load(&fold);
      run_fold(array, arch.rows + arch.rows * arch.pe.timing.latency_cycles + fold.cols_used + streamed - 2);
      run.cycles += array.fold_cycles();
      ++run.folds;
      array.unload();  // the fold's fields change for the next one: edges while waiting for DRAM must not run it
    }
    for (int64_t t = 0; t < streamed; ++t) {
      for (int64_t c = 0; c < fold.cols_used; ++c) {
        const uint64_t word = arch.pe.core->finish(partial[static_cast<size_t>(t * fold.cols_used + c)]);
        const int64_t row = ws ? t : col0 + c, col = ws ? col0 + c : t;
        run.y[static_cast<size_t>(row * g.n + col)] = word;
      }
    }
  }
  array.unload();
  run.mac_operations = array.operations();
  run.seconds = array.busy_seconds();
  return run;
}

}  // namespace pesim::cycle

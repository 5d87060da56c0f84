// SPDX-License-Identifier: Apache-2.0
#include "sim/cycle/systolic_engine.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <systemc>
#include <thread>

#include "sim/cycle/output_stationary_array.h"
#include "sim/cycle/stationary_array.h"
#include "sim/cycle/worker_team.h"

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
  const auto start = std::chrono::steady_clock::now();
  sc_core::sc_start(static_cast<double>(std::max<int64_t>(expected_cycles, 1)), sc_core::SC_NS);
  while (!array.done()) sc_core::sc_start(1, sc_core::SC_NS);
  array.add_busy_time(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
}

// The DRAM side at fold granularity (CycleOptions::dram_bytes): fold i's share has arrived ceil((i + 1) D / (F B))
// cycles into the layer (D bytes, F folds, B bytes per cycle, streaming without a break).
class DramFeed {
 public:
  DramFeed(int64_t dram_bytes, int64_t bytes_per_cycle, int64_t folds)
      : m_bytes(dram_bytes),
        m_bytes_per_cycle(std::max<int64_t>(bytes_per_cycle, 1)),
        m_folds(std::max<int64_t>(folds, 1)) {}

  // The cycles fold `index` waits for its share, `elapsed` cycles (compute and stalls) into the layer. The array idles
  // meanwhile; nothing happens on those edges, so the engine counts them instead of clocking them.
  int64_t cycles_to_wait(int64_t index, int64_t elapsed) const {
    if (m_bytes == 0) return 0;
    const auto needed = static_cast<unsigned __int128>(index + 1) * static_cast<unsigned __int128>(m_bytes);
    const auto per_cycle = static_cast<unsigned __int128>(m_folds) * static_cast<unsigned __int128>(m_bytes_per_cycle);
    const auto arrival = static_cast<int64_t>((needed + per_cycle - 1) / per_cycle);
    return std::max<int64_t>(0, arrival - elapsed);
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
      run.stall_cycles += dram.cycles_to_wait(run.folds, run.cycles + run.stall_cycles);
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

// A fold's streamed words, stream[t * R + r] = streamed_word(t, k0 + r), in the order that reads the operand matrix
// along its rows (ws: A's rows are the streamed rows; is: B's rows are the reduction steps).
template <typename StreamedWord>
void fill_stream(Fold& fold, int64_t k0, int64_t rows, const StreamedWord& streamed_word, bool ws) {
  if (ws) {
    for (int64_t t = 0; t < fold.streamed; ++t) {
      for (int64_t r = 0; r < fold.rows_used; ++r)
        fold.stream[static_cast<size_t>(t * rows + r)] = streamed_word(t, k0 + r);
    }
    return;
  }
  for (int64_t r = 0; r < fold.rows_used; ++r) {
    for (int64_t t = 0; t < fold.streamed; ++t)
      fold.stream[static_cast<size_t>(t * rows + r)] = streamed_word(t, k0 + r);
  }
}

// ws/is: for each block of C output columns (ws: columns of B, is: rows of A), its K folds one after another, each
// reading the partial sums the one before wrote. Blocks are independent: with lanes, `lanes` blocks run side by side,
// fold k of each at once; the stalls are worked out afterwards in block order (they depend only on the folds'
// cycles), so every result is the one-lane run's.
CycleRun run_stationary(const array::ArchSpec& arch, const GemmWords& g, const CycleOptions& options) {
  // ws: B stationary (K x N), A's rows streamed; is: A stationary (K x M as A transposed), B's columns streamed.
  const bool ws = arch.dataflow == array::Dataflow::WeightStationary;
  const int64_t spatial_cols = ws ? g.n : g.m, streamed = ws ? g.m : g.n;
  const auto stationary_word = [&](int64_t k, int64_t col) {
    return ws ? g.b[static_cast<size_t>(k * g.n + col)] : g.a[static_cast<size_t>(col * g.k + k)];
  };
  const auto streamed_word = [&](int64_t t, int64_t k) {
    return ws ? g.a[static_cast<size_t>(t * g.k + k)] : g.b[static_cast<size_t>(k * g.n + t)];
  };
  const int64_t blocks = ceil_div(spatial_cols, arch.cols), k_folds = ceil_div(g.k, arch.rows);
  // One lane per thread (two per thread, which shares out the clock process's cost further, measured no faster on a
  // 2-core machine: the lanes' registers then crowd each core's L1).
  constexpr int64_t kLanesPerThread = 1;
  const int threads = options.observer != nullptr ? 1 : std::max(options.threads, 1);
  const auto lanes = static_cast<int>(
      threads == 1 ? 1 : std::clamp<int64_t>(threads * kLanesPerThread, 1, std::max<int64_t>(blocks, 1)));
  std::optional<WorkerTeam> team;
  // No more threads than cores: the lanes' edges meet every microsecond, and a thread waiting for a core would stall
  // them all. More lanes than threads are shared out among the threads.
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  if (threads > 1 && lanes > 1 && cores > 1) team.emplace(std::min({threads, lanes, cores}));

  StationaryArray& array = arrays().stationary;
  array.configure(arch, ws, options.observer, team ? &*team : nullptr, lanes);
  const DramFeed dram(options.dram_bytes, arch.dram_bytes_per_cycle, blocks * k_folds);
  CycleRun run;
  run.y.assign(static_cast<size_t>(g.m * g.n), 0);
  std::vector<int64_t> fold_cycles(static_cast<size_t>(blocks * k_folds), 0);
  std::vector<std::vector<uint64_t>> partial(static_cast<size_t>(lanes));
  std::vector<Fold> folds(static_cast<size_t>(lanes));
  for (int64_t first_block = 0; first_block < blocks; first_block += lanes) {
    const auto group = static_cast<int>(std::min<int64_t>(lanes, blocks - first_block));
    for (int lane = 0; lane < group; ++lane) {
      Fold& fold = folds[static_cast<size_t>(lane)];
      fold.cols_used = std::min(arch.cols, spatial_cols - (first_block + lane) * arch.cols);
      fold.streamed = streamed;
      partial[static_cast<size_t>(lane)].assign(static_cast<size_t>(streamed * fold.cols_used),
                                                arch.pe.core->zero_acc());
      fold.partial = &partial[static_cast<size_t>(lane)];
    }
    for (int64_t k_fold = 0; k_fold < k_folds; ++k_fold) {
      const int64_t k0 = k_fold * arch.rows;
      const auto build = [&](int lane) {  // each lane's fold, on the lane's own thread
        Fold& fold = folds[static_cast<size_t>(lane)];
        const int64_t col0 = (first_block + lane) * arch.cols;
        fold.rows_used = std::min(arch.rows, g.k - k0);
        fold.first_reduction_index = k0;
        fold.stationary.assign(static_cast<size_t>(arch.rows * arch.cols), 0);
        fold.stream.assign(static_cast<size_t>(streamed * arch.rows), 0);
        for (int64_t r = 0; r < fold.rows_used; ++r) {
          for (int64_t c = 0; c < fold.cols_used; ++c) {
            fold.stationary[static_cast<size_t>(r * arch.cols + c)] = stationary_word(k0 + r, col0 + c);
          }
        }
        fill_stream(fold, k0, arch.rows, streamed_word, ws);
      };
      if (team) {
        team->run([&](int member) {
          for (int lane = member; lane < group; lane += team->members()) build(lane);
        });
      } else {
        for (int lane = 0; lane < group; ++lane) build(lane);
      }
      int64_t longest = 0;
      for (int lane = 0; lane < group; ++lane) {
        const int64_t cols_used = folds[static_cast<size_t>(lane)].cols_used;
        longest = std::max(longest, arch.rows + arch.rows * arch.pe.timing.latency_cycles + cols_used + streamed - 2);
      }
      for (int lane = 0; lane < group; ++lane) array.load(&folds[static_cast<size_t>(lane)], lane);
      run_fold(array, longest);
      for (int lane = 0; lane < group; ++lane) {
        const int64_t cycles = array.fold_cycles(lane);
        fold_cycles[static_cast<size_t>((first_block + lane) * k_folds + k_fold)] = cycles;
      }
      run.folds += group;
      array.unload();  // the folds' fields change for the next ones: edges while waiting for DRAM must not run them
    }
    for (int lane = 0; lane < group; ++lane) {
      const Fold& fold = folds[static_cast<size_t>(lane)];
      const int64_t col0 = (first_block + lane) * arch.cols;
      for (int64_t t = 0; t < streamed; ++t) {
        for (int64_t c = 0; c < fold.cols_used; ++c) {
          const uint64_t word =
              arch.pe.core->finish(partial[static_cast<size_t>(lane)][static_cast<size_t>(t * fold.cols_used + c)]);
          const int64_t row = ws ? t : col0 + c, col = ws ? col0 + c : t;
          run.y[static_cast<size_t>(row * g.n + col)] = word;
        }
      }
    }
  }
  // The layer's timeline: fold after fold, in block order, each after its DRAM share has arrived. The array idles
  // while it waits, so the stalls are counted, not clocked.
  for (size_t fold = 0; fold < fold_cycles.size(); ++fold) {
    run.stall_cycles += dram.cycles_to_wait(static_cast<int64_t>(fold), run.cycles + run.stall_cycles);
    run.cycles += fold_cycles[fold];
  }
  array.unload();
  run.mac_operations = array.operations();
  run.seconds = array.busy_seconds();
  array.configure(arch, ws);  // drops the team, which goes away with this call
  return run;
}

}  // namespace

std::string cycle_engine_refusal(const std::string& layer, int64_t macs, int64_t rows, int64_t cols,
                                 int64_t compute_cycles, int64_t max_pe_steps) {
  if (macs > max_pe_steps) return fmt::format("layer {} has {} MACs, over the limit of {}", layer, macs, max_pe_steps);
  const auto pe_steps = static_cast<__int128>(rows) * cols * compute_cycles;
  if (pe_steps <= max_pe_steps) return {};
  return fmt::format(
      "layer {} would clock the {} x {} array's PEs for {} cycles, {:.3g} PE steps, over the limit of {} (the cycle "
      "engine's time grows with the PEs it clocks, not only the MACs)",
      layer, rows, cols, compute_cycles, static_cast<double>(pe_steps), max_pe_steps);
}

CycleRun run_cycle_engine(const array::ArchSpec& arch, const GemmWords& g, const CycleOptions& options) {
  check_supported(arch);
  if (arch.dataflow == array::Dataflow::OutputStationary) return run_output_stationary(arch, g, options);
  return run_stationary(arch, g, options);
}

}  // namespace pesim::cycle

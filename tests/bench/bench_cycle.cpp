// SPDX-License-Identifier: Apache-2.0
// Speed of the cycle engine with values: a 32x32 weight-stationary INT8 array (mac_int, 32-bit accumulator) and an
// fp16-in fp32-accumulate one (fma_fp) on a 256 x 256 x 256 GEMM, in simulated cycles per second of the engine's
// clock process (counter "cycles_per_s"), against SCALE-Sim v2's ~9,000 cycles/s without values.
#include <benchmark/benchmark.h>

#include <random>
#include <systemc>

#include "models/array/arch.h"
#include "sim/cycle/systolic_engine.h"

namespace {

void run_array(benchmark::State& state, const char* settings_text) {
  pesim::params::Settings settings;
  pesim::params::parse_assignments(settings_text, "benchmark", settings);
  const pesim::array::ArchSpec arch = pesim::array::make_arch(settings);
  std::mt19937_64 rng(1);
  std::normal_distribution<double> normal(0.0, 30.0);
  pesim::cycle::GemmWords gemm{256, 256, 256, {}, {}};
  for (int i = 0; i < 256 * 256; ++i) gemm.a.push_back(arch.pe.core->quantize_a(normal(rng)));
  for (int i = 0; i < 256 * 256; ++i) gemm.b.push_back(arch.pe.core->quantize_b(normal(rng)));
  int64_t cycles = 0;
  double seconds = 0;
  for (auto _ : state) {
    const pesim::cycle::CycleRun run = pesim::cycle::run_cycle_engine(arch, gemm);
    cycles += run.cycles;
    seconds += run.seconds;
  }
  state.counters["cycles_per_s"] = static_cast<double>(cycles) / seconds;
  state.counters["macs_per_s"] = static_cast<double>(state.iterations()) * 256.0 * 256 * 256 / seconds;
}

void BM_ws32x32_mac_int(benchmark::State& s) { run_array(s, "rows=32,cols=32,dataflow=ws,pe=mac_int"); }
void BM_ws32x32_fma_fp16(benchmark::State& s) {
  run_array(s, "rows=32,cols=32,dataflow=ws,pe=fma_fp,pe.in=fp16,pe.acc=fp32");
}

}  // namespace

BENCHMARK(BM_ws32x32_mac_int)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ws32x32_fma_fp16)->Unit(benchmark::kMillisecond);

// SystemC owns main(): sc_main runs the benchmarks.
int sc_main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

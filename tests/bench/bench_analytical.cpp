// SPDX-License-Identifier: Apache-2.0
// Speed of the analytical engine, in layer evaluations per second (Google Benchmark's items_per_second): every
// linear layer of LLaMA-2-7B (prefill, 2048 tokens) on a 32x32 array, per dataflow, in both conventions.
#include <benchmark/benchmark.h>

#include <systemc>

#include "models/array/arch.h"
#include "sim/analytical/analytical_engine.h"
#include "workloads/zoo/model_zoo.h"

namespace {

std::vector<pesim::workloads::LayerSpec> llama_layers() {
  std::vector<pesim::workloads::LayerSpec> layers;
  const auto& model = pesim::workloads::find_model("llama2-7b");
  for (const auto& gemm : pesim::workloads::zoo_layers(model, pesim::workloads::Phase::Prefill, 1, 2048)) {
    pesim::workloads::LayerSpec layer;
    layer.name = gemm.name;
    layer.is_gemm = true;
    layer.m = gemm.m;
    layer.n = gemm.n;
    layer.k = gemm.k;
    layers.push_back(layer);
  }
  return layers;
}

void evaluate_layers(benchmark::State& state, const char* dataflow, pesim::analytical::Convention convention) {
  pesim::params::Settings settings;
  pesim::params::parse_assignments(std::string("rows=32,cols=32,dataflow=") + dataflow, "benchmark", settings);
  const pesim::array::ArchSpec arch = pesim::array::make_arch(settings);
  const auto layers = llama_layers();
  for (auto _ : state) {
    for (const auto& layer : layers) {
      benchmark::DoNotOptimize(pesim::analytical::analyze_layer(arch, layer, convention));
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(layers.size()));
}

void BM_ws_pesim(benchmark::State& s) { evaluate_layers(s, "ws", pesim::analytical::Convention::Pesim); }
void BM_os_pesim(benchmark::State& s) { evaluate_layers(s, "os", pesim::analytical::Convention::Pesim); }
void BM_is_pesim(benchmark::State& s) { evaluate_layers(s, "is", pesim::analytical::Convention::Pesim); }
void BM_ws_scalesim(benchmark::State& s) { evaluate_layers(s, "ws", pesim::analytical::Convention::ScaleSim); }

}  // namespace

BENCHMARK(BM_ws_pesim);
BENCHMARK(BM_os_pesim);
BENCHMARK(BM_is_pesim);
BENCHMARK(BM_ws_scalesim);
// pesim_sim links SystemC, whose library owns main(): sc_main runs the benchmarks.
int sc_main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

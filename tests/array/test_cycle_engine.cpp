// SPDX-License-Identifier: Apache-2.0
// The cycle engine against the functional reference (each output a chain of K mac() steps, pe_chain_gemm) and
// against the analytical engine's cycle count, for several PE kinds, array shapes, latencies and dataflows.
#include <catch2/catch.hpp>
#include <random>

#include "models/array/arch.h"
#include "sim/analytical/analytical_engine.h"
#include "sim/cycle/systolic_engine.h"
#include "sim/error/pe_error.h"
#include "tests/support/test_support.h"

namespace {

pesim::cycle::GemmWords random_gemm(const pesim::pe::IPeCore& core, int64_t m, int64_t n, int64_t k, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal(0.0, 2.0);
  pesim::cycle::GemmWords g{m, n, k, {}, {}};
  for (int64_t i = 0; i < m * k; ++i) g.a.push_back(core.quantize_a(normal(rng)));
  for (int64_t i = 0; i < k * n; ++i) g.b.push_back(core.quantize_b(normal(rng)));
  return g;
}

}  // namespace

TEST_CASE("cycle engine: results equal the K-order chains and cycles equal the analytical count", "[cycle]") {
  const char* configs[] = {
      "rows=4,cols=4,dataflow=ws,pe=mac_int",
      "rows=4,cols=4,dataflow=is,pe=mac_int",
      "rows=8,cols=8,dataflow=ws,pe=fma_fp",
      "rows=8,cols=8,dataflow=is,pe=fma_fp,pe.in=fp16,pe.acc=fp16",
      "rows=4,cols=8,dataflow=ws,pe=fma_fp,pe.stages=3",
      "rows=8,cols=4,dataflow=is,pe=mac_fixed,pe.stages=2",
      "rows=4,cols=4,dataflow=ws,pe=dequant_fma",
      "rows=4,cols=4,dataflow=os,pe=mac_int",
      "rows=8,cols=4,dataflow=os,pe=fma_fp",
      "rows=4,cols=8,dataflow=os,pe=mac_fixed,pe.khot=2",
  };
  const int64_t shapes[][3] = {{1, 1, 1}, {5, 7, 3}, {13, 9, 17}, {8, 8, 8}, {3, 20, 33}};
  for (const char* config : configs) {
    const auto arch = pesim::array::make_arch(pesim::test::settings(config));
    for (const auto& shape : shapes) {
      INFO(config << " GEMM " << shape[0] << "x" << shape[2] << "x" << shape[1]);
      const auto gemm = random_gemm(*arch.pe.core, shape[0], shape[1], shape[2], 11);
      const pesim::cycle::CycleRun run = pesim::cycle::run_cycle_engine(arch, gemm);
      const pesim::error::PeGemmOperands ops{static_cast<int>(gemm.m), static_cast<int>(gemm.n),
                                             static_cast<int>(gemm.k), gemm.a, gemm.b};
      CHECK(run.y == pesim::error::pe_chain_gemm(*arch.pe.core, ops));
      pesim::workloads::LayerSpec layer;
      layer.is_gemm = true;
      layer.m = gemm.m;
      layer.n = gemm.n;
      layer.k = gemm.k;
      const auto analytical = pesim::analytical::analyze_layer(arch, layer, pesim::analytical::Convention::Pesim);
      CHECK(run.cycles == analytical.compute_cycles);
      CHECK(run.mac_operations == gemm.m * gemm.n * gemm.k);
    }
  }
}

TEST_CASE("cycle engine: PEs and dataflows it does not map are refused", "[cycle]") {
  const auto os = pesim::array::make_arch(pesim::test::settings("dataflow=os,pe.stages=2"));
  CHECK_THROWS_AS(pesim::cycle::run_cycle_engine(os, random_gemm(*os.pe.core, 2, 2, 2, 1)), std::invalid_argument);
  const auto mixpe = pesim::array::make_arch(pesim::test::settings("pe=mixpe"));
  CHECK_THROWS_AS(pesim::cycle::run_cycle_engine(mixpe, random_gemm(*mixpe.pe.core, 2, 2, 2, 1)),
                  std::invalid_argument);
}

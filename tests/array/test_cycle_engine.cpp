// SPDX-License-Identifier: Apache-2.0
// The cycle engine against the functional reference (each output a chain of K mac() steps, pe_chain_gemm) and
// against the analytical engine's cycle count, for several PE kinds, array shapes, latencies and dataflows.
#include <array>
#include <catch2/catch.hpp>
#include <random>
#include <string>

#include "models/array/arch.h"
#include "sim/analytical/analytical_engine.h"
#include "sim/cycle/gemm_operations.h"
#include "sim/cycle/systolic_engine.h"
#include "sim/error/pe_error.h"
#include "tests/support/test_support.h"
#include "workloads/values/value_stream.h"

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
  const auto serial = pesim::array::make_arch(pesim::test::settings("pe=mixpe,pe.datapath=serial"));
  CHECK_THROWS_WITH(pesim::cycle::run_cycle_engine(serial, random_gemm(*serial.pe.core, 2, 2, 2, 1)),
                    Catch::Contains("takes one every 4 cycles"));
}

// MixPE and multi-lane PEs run operation words (gemm_operations): the engine must equal their functional chains,
// take the analytical engine's cycles for the GEMM's K, and its results must be the exact GEMM of the quantized
// operands up to the PE's roundings.
TEST_CASE("cycle engine: MixPE groups and bit-fusion lanes, against the chains and the exact GEMM", "[cycle]") {
  struct Case {
    const char* config;
    double rms_rel_error;  // bound on sqrt(sum (y - exact)^2 / sum exact^2) (outputs near 0 may cancel)
  };
  const Case cases[] = {
      {"rows=8,cols=8,dataflow=ws,pe=mixpe,pe.group_size=32", 1e-6},  // one fp32 rounding per group
      {"rows=4,cols=8,dataflow=is,pe=mixpe,pe.group_size=16,pe.w_signed=1", 1e-6},
      {"rows=8,cols=4,dataflow=os,pe=mixpe,pe.act=fp16,pe.group_size=32", 1e-5},  // fp32 sums within a group
      {"rows=4,cols=4,dataflow=ws,pe=mixpe,pe.group_size=8,pe.stages=2", 1e-6},
      {"rows=8,cols=8,dataflow=ws,pe=bitfusion,pe.a_bits=4,pe.b_bits=4", 0},  // 4 lanes, exact integers
      {"rows=4,cols=4,dataflow=os,pe=bitfusion,pe.a_bits=8,pe.b_bits=2", 0},
  };
  const int64_t shapes[][3] = {{1, 1, 1}, {7, 9, 70}, {13, 5, 33}};
  for (const Case& c : cases) {
    const auto arch = pesim::array::make_arch(pesim::test::settings(c.config));
    for (const auto& shape : shapes) {
      INFO(c.config << " GEMM " << shape[0] << "x" << shape[2] << "x" << shape[1]);
      const int64_t m = shape[0], n = shape[1], k = shape[2];
      const auto a =
          pesim::workloads::draw_values(pesim::workloads::Distribution::Normal, 3.0, 5, static_cast<size_t>(m * k));
      const auto b =
          pesim::workloads::draw_values(pesim::workloads::Distribution::Normal, 1.0, 6, static_cast<size_t>(k * n));
      const auto ops = pesim::cycle::gemm_operations(arch.pe, a, b, m, n, k);
      const pesim::cycle::CycleRun run = pesim::cycle::run_cycle_engine(arch, ops.words);
      const pesim::error::PeGemmOperands chain_ops{static_cast<int>(m), static_cast<int>(n),
                                                   static_cast<int>(ops.words.k), ops.words.a, ops.words.b};
      CHECK(run.y == pesim::error::pe_chain_gemm(*arch.pe.core, chain_ops));
      pesim::workloads::LayerSpec layer;
      layer.is_gemm = true;
      layer.m = m;
      layer.n = n;
      layer.k = k;
      CHECK(run.cycles ==
            pesim::analytical::analyze_layer(arch, layer, pesim::analytical::Convention::Pesim).compute_cycles);
      const auto errors = pesim::error::measure_value_errors(*arch.pe.core, ops.values, run.y);
      CHECK(errors.nonfinite_outputs == 0);
      CHECK(errors.rms_rel_error <= c.rms_rel_error);
    }
  }
}

// The engine's DRAM stalls (per fold, CycleOptions::dram_bytes) against the analytical engine's (whole layer): never
// fewer cycles in total, at most one fold's share of the transfer plus the longest fold more.
TEST_CASE("cycle engine: DRAM stalls per fold, bounded against the analytical engine's", "[cycle]") {
  const char* configs[] = {"rows=8,cols=8,dataflow=ws,pe=mac_int,dram_bytes_per_cycle=1",
                           "rows=8,cols=8,dataflow=os,pe=mac_int,dram_bytes_per_cycle=2",
                           "rows=4,cols=8,dataflow=is,pe=fma_fp,dram_bytes_per_cycle=1",
                           "rows=8,cols=8,dataflow=ws,pe=mac_int,dram_bytes_per_cycle=64"};
  const int64_t shapes[][3] = {{40, 30, 50}, {200, 16, 9}, {3, 3, 3}};
  for (const char* config : configs) {
    const auto arch = pesim::array::make_arch(pesim::test::settings(config));
    for (const auto& shape : shapes) {
      INFO(config << " GEMM " << shape[0] << "x" << shape[2] << "x" << shape[1]);
      pesim::workloads::LayerSpec layer;
      layer.is_gemm = true;
      layer.m = shape[0];
      layer.n = shape[1];
      layer.k = shape[2];
      const auto analytical = pesim::analytical::analyze_layer(arch, layer, pesim::analytical::Convention::Pesim);
      const auto gemm = random_gemm(*arch.pe.core, shape[0], shape[1], shape[2], 3);
      const int64_t dram_bytes = analytical.dram.total();
      const auto run = pesim::cycle::run_cycle_engine(arch, gemm, {nullptr, dram_bytes});
      CHECK(run.cycles == analytical.compute_cycles);
      CHECK(run.mac_operations == shape[0] * shape[1] * shape[2]);  // waiting edges compute nothing
      const int64_t share =
          (dram_bytes + run.folds * arch.dram_bytes_per_cycle - 1) / (run.folds * arch.dram_bytes_per_cycle);
      const int64_t streamed = arch.dataflow == pesim::array::Dataflow::OutputStationary   ? shape[2]
                               : arch.dataflow == pesim::array::Dataflow::WeightStationary ? shape[0]
                                                                                           : shape[1];
      const int64_t longest_fold = 2 * arch.rows + arch.cols + streamed;
      CHECK(run.cycles + run.stall_cycles >= analytical.total_cycles());
      CHECK(run.cycles + run.stall_cycles <= analytical.total_cycles() + share + longest_fold);
      CHECK(run.stall_cycles >= share);  // the first fold waits for its share
    }
  }
}

TEST_CASE("cycle engine: every result is the same on 1, 2 and 3 threads", "[cycle][threads]") {
  const std::vector<std::string> configs = {"rows=8,cols=8,dataflow=ws,pe=mac_int",
                                            "rows=4,cols=8,dataflow=is,pe=fma_fp,pe.in=bf16",
                                            "rows=8,cols=4,dataflow=ws,pe=fma_fp,pe.in=fp16,pe.stages=3",
                                            "rows=4,cols=4,dataflow=ws,pe=mixpe,pe.act=fp16,pe.group_size=32"};
  const std::vector<std::array<int64_t, 3>> shapes = {{37, 29, 70}, {5, 64, 9}, {64, 3, 33}};  // M, N, K
  for (const std::string& config : configs) {
    const auto arch = pesim::array::make_arch(pesim::test::settings(config));
    for (const auto& shape : shapes) {
      INFO(config << " GEMM " << shape[0] << "x" << shape[2] << "x" << shape[1]);
      const int64_t m = shape[0], n = shape[1], k = shape[2];
      const auto a = pesim::workloads::draw_values(pesim::workloads::Distribution::Normal, 1.0, 21, m * k);
      const auto b = pesim::workloads::draw_values(pesim::workloads::Distribution::Normal, 1.0, 22, k * n);
      const auto ops = pesim::cycle::gemm_operations(arch.pe, a, b, m, n, k);
      for (int64_t dram_bytes : {int64_t{0}, int64_t{200'000}}) {
        pesim::cycle::CycleOptions options;
        options.dram_bytes = dram_bytes;
        const pesim::cycle::CycleRun one = pesim::cycle::run_cycle_engine(arch, ops.words, options);
        for (int threads : {2, 3}) {
          options.threads = threads;
          const pesim::cycle::CycleRun many = pesim::cycle::run_cycle_engine(arch, ops.words, options);
          CHECK(many.y == one.y);
          CHECK(many.cycles == one.cycles);
          CHECK(many.stall_cycles == one.stall_cycles);
          CHECK(many.folds == one.folds);
          CHECK(many.mac_operations == one.mac_operations);
        }
        CHECK((dram_bytes == 0 || one.stall_cycles > 0));
      }
    }
  }
}

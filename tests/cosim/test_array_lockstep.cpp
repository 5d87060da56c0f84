// SPDX-License-Identifier: Apache-2.0
// The cycle engine against the Verilated RTL arrays (rtl/verilated_arrays.txt), in lockstep: every output the same
// word on the same clock edge, for GEMMs that fill, underfill and overflow the array along every dimension. And the
// lockstep's own check: an engine that differs from the RTL in one value or one cycle is caught.
#include <catch2/catch.hpp>

#include "models/array/arch.h"
#include "sim/analytical/analytical_engine.h"
#include "sim/cosim/array_lockstep.h"
#include "sim/cycle/gemm_operations.h"
#include "tests/support/test_support.h"
#include "workloads/values/value_stream.h"

namespace {

using pesim::array::ArchSpec;

pesim::cycle::GemmOperations random_operations(const ArchSpec& arch, int64_t m, int64_t n, int64_t k, uint64_t seed) {
  const auto a =
      pesim::workloads::draw_values(pesim::workloads::Distribution::Normal, 2.0, seed, static_cast<size_t>(m * k));
  const auto b =
      pesim::workloads::draw_values(pesim::workloads::Distribution::Laplace, 1.0, seed + 7, static_cast<size_t>(k * n));
  return pesim::cycle::gemm_operations(arch.pe, a, b, m, n, k);
}

// Outputs an engine run produces on its edges: every fold writes its partial sums (ws, is), or each PE its
// accumulator once (os).
int64_t expected_outputs(const ArchSpec& arch, const pesim::cycle::GemmWords& g) {
  if (arch.dataflow == pesim::array::Dataflow::OutputStationary) return g.m * g.n;
  return g.m * g.n * ((g.k + arch.rows - 1) / arch.rows);
}

}  // namespace

TEST_CASE("array lockstep: every verilated array equals the cycle engine, word and edge", "[array_rtl]") {
  for (const pesim::rtl::VerilatedArrayConfig& config : pesim::rtl::verilated_arrays()) {
    const ArchSpec arch = pesim::array::make_arch(pesim::test::settings(config.arch_settings));
    INFO(config.arch_settings);
    // pesim derives the line's own RTL: the two sides of rtl/verilated_arrays.txt agree.
    REQUIRE(&pesim::cosim::find_array_rtl(arch) == &config);
    const int64_t r = arch.rows, c = arch.cols;
    const int64_t shapes[][3] = {{1, 1, 1}, {r, c, r}, {2 * r + 1, c + 3, 3 * r + 2}, {3, 2 * c + 1, 70}};
    uint64_t seed = 1;
    for (const auto& shape : shapes) {
      INFO("GEMM " << shape[0] << "x" << shape[2] << "x" << shape[1]);
      const auto ops = random_operations(arch, shape[0], shape[1], shape[2], seed++);
      const pesim::cosim::ArrayLockstepReport report = pesim::cosim::run_array_lockstep(arch, config, ops.words);
      for (const std::string& m : report.first_mismatches) UNSCOPED_INFO(m);
      CHECK(report.passed());
      CHECK(report.outputs_compared == expected_outputs(arch, ops.words));
      pesim::workloads::LayerSpec layer;
      layer.is_gemm = true;
      layer.m = shape[0];
      layer.n = shape[1];
      layer.k = shape[2];
      CHECK(report.cycles ==
            pesim::analytical::analyze_layer(arch, layer, pesim::analytical::Convention::Pesim).compute_cycles);
    }
  }
}

TEST_CASE("array lockstep: a value or a cycle that differs from the RTL is reported", "[array_rtl]") {
  const ArchSpec rtl_arch = pesim::array::make_arch(pesim::test::settings("rows=4,cols=4,dataflow=ws,pe=mac_int"));
  const pesim::rtl::VerilatedArrayConfig& rtl = pesim::cosim::find_array_rtl(rtl_arch);
  SECTION("unsigned activations in the engine, signed in the RTL: values differ, cycles agree") {
    const ArchSpec engine =
        pesim::array::make_arch(pesim::test::settings("rows=4,cols=4,dataflow=ws,pe=mac_int,pe.a_signed=0"));
    auto ops = random_operations(rtl_arch, 9, 6, 10, 3);
    for (uint64_t& word : ops.words.a) word |= 0x80;  // negative for the RTL, large for the engine
    const auto report = pesim::cosim::run_array_lockstep(engine, rtl, ops.words);
    CHECK(report.value_mismatches > 0);
    CHECK(report.cycle_mismatches == 0);
  }
  SECTION("a two-stage PE in the engine, one stage in the RTL: outputs on other edges") {
    const ArchSpec engine =
        pesim::array::make_arch(pesim::test::settings("rows=4,cols=4,dataflow=ws,pe=mac_int,pe.stages=2"));
    const auto ops = random_operations(rtl_arch, 9, 6, 10, 4);
    const auto report = pesim::cosim::run_array_lockstep(engine, rtl, ops.words);
    CHECK(report.cycle_mismatches > 0);
    CHECK_FALSE(report.first_mismatches.empty());
  }
}

TEST_CASE("array lockstep: an architecture the build did not verilate is refused by name", "[array_rtl]") {
  const ArchSpec arch = pesim::array::make_arch(pesim::test::settings("rows=5,cols=4,dataflow=ws,pe=mac_int"));
  CHECK_THROWS_WITH(pesim::cosim::find_array_rtl(arch), Catch::Contains("no verilated RTL array for rows=5"));
}

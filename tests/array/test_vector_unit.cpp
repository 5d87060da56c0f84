// SPDX-License-Identifier: Apache-2.0
// The vector unit's cost model (sim/analytical/vector_engine.h), worked by hand, and its architecture parameters.
#include <catch2/catch.hpp>

#include "models/array/arch.h"
#include "sim/analytical/vector_engine.h"

using Catch::Matchers::Contains;
using pesim::workloads::VectorKind;
using pesim::workloads::VectorOp;

namespace {

pesim::array::ArchSpec arch(const std::string& text) {
  pesim::params::Settings settings;
  if (!text.empty()) pesim::params::parse_assignments(text, "test", settings);
  return pesim::array::make_arch(settings);
}

}  // namespace

TEST_CASE("vector unit: passes x beats of lanes, SRAM per pass, DRAM once", "[vector]") {
  const auto a = arch("");  // 32 lanes, 16-bit elements, 128 bytes/cycle
  CHECK(a.vector_lanes == 32);
  CHECK(a.vector_element_bits == 16);
  const auto r = pesim::analytical::analyze_vector_op(a, VectorOp{"sm", "", VectorKind::Softmax, 1000, 7});
  CHECK(r.passes == 3);
  CHECK(r.compute_cycles == 3 * 32);  // ceil(1000 / 32) = 32 beats per pass
  CHECK(r.stall_cycles == 0);         // 4000 DRAM bytes take 32 cycles
  CHECK(r.repeat == 7);
  CHECK(r.sram.ifmap_read_bytes == 3 * 2000);
  CHECK(r.sram.ofmap_write_bytes == 2000);
  CHECK(r.dram.total() == 4000);
  CHECK(r.utilization == Approx(3000.0 / (96 * 32)));
  CHECK(r.mapping_efficiency == Approx(1000.0 / 1024));
  CHECK(pesim::analytical::vector_passes(VectorKind::RmsNorm) == 2);
  CHECK(pesim::analytical::vector_passes(VectorKind::LayerNorm) == 3);
  CHECK(pesim::analytical::vector_passes(VectorKind::Gelu) == 1);
}

TEST_CASE("vector unit: two-input ops, lanes, element size and DRAM stalls", "[vector]") {
  const auto slow = arch("dram_bytes_per_cycle=1,vector_lanes=64,vector_element_bits=8");
  const auto r = pesim::analytical::analyze_vector_op(slow, VectorOp{"res", "", VectorKind::Add, 4096, 1});
  CHECK(r.compute_cycles == 64);               // 4096 / 64 lanes, one pass
  CHECK(r.sram.ifmap_read_bytes == 2 * 4096);  // both operands, 1 byte each
  CHECK(r.dram.total() == 3 * 4096);           // two inputs in, one output out
  CHECK(r.stall_cycles == 3 * 4096 - 64);      // 1 byte per cycle
  CHECK(r.total_cycles() == 3 * 4096);
}

TEST_CASE("vector unit parameters: declared, printed and accepted back, range-checked", "[vector]") {
  const auto a = arch("vector_lanes=128");
  CHECK_THAT(a.params_text(), Contains("vector_lanes=128,vector_element_bits=16"));
  pesim::params::Settings back;
  pesim::params::parse_assignments(a.params_text(), "test", back);
  CHECK(pesim::array::make_arch(back).vector_lanes == 128);
  CHECK_THROWS_WITH(arch("vector_lanes=0"), Contains("vector_lanes"));
  CHECK_THROWS_WITH(arch("vector_lane=8"), Contains("did you mean 'vector_lanes'"));
}

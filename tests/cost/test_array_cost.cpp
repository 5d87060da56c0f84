// SPDX-License-Identifier: Apache-2.0
// Whole-array cost and energy from given PE and unit figures (no Yosys): the composition, worked by hand.
#include <catch2/catch.hpp>

#include "models/array/arch.h"
#include "models/cost/array_cost.h"
#include "models/cost/liberty.h"
#include "models/cost/technology.h"

namespace {

using pesim::cost::array_cost;
using pesim::cost::find_technology;
using pesim::cost::SynthesisResult;

pesim::array::ArchSpec preset(const std::string& name, const std::string& extra = "") {
  auto settings = pesim::array::preset_settings(name);
  if (!extra.empty()) pesim::params::parse_assignments(extra, "test", settings);
  return pesim::array::make_arch(settings);
}

SynthesisResult design(double area_um2, double leakage_nw, int64_t cells, int64_t flops) {
  SynthesisResult r;
  r.area_um2 = area_um2;
  r.leakage_nw = leakage_nw;
  r.cells = cells;
  r.flops = flops;
  return r;
}

}  // namespace

TEST_CASE("array area = PE x R x C + shared units x R + array registers + SRAMs", "[cost][array]") {
  const auto& tech = find_technology("ihp_sg13g2");
  const auto arch = preset("mixpe-w4a8");  // 64 x 64 MixPE, one shared dequant unit per row
  REQUIRE(arch.pe.shared_units.size() == 1);
  const auto c = array_cost(arch, tech, design(1000.0, 10.0, 100, 20), {design(5000.0, 40.0, 500, 60)});
  CHECK(c.pe.count == 64 * 64);
  CHECK(c.pe_array_um2() == Approx(1000.0 * 64 * 64));
  CHECK(c.shared_units_um2() == Approx(5000.0 * 64));
  // The flop is the liberty's smallest one.
  const auto cells = pesim::cost::read_liberty_cells(tech.liberty_path);
  REQUIRE(cells.count(c.flop_cell) == 1);
  CHECK(cells.at(c.flop_cell).is_flop);
  for (const auto& [name, cell] : cells) {
    if (cell.is_flop) CHECK(cell.area_um2 >= c.flop_area_um2);
  }
  const auto w = arch.pe.core->widths();
  const int64_t bits = 64 * 64 * (w.a_bits + w.b_bits + 1) + 64 * 63 / 2 * w.a_bits + 64 * 63 / 2 * w.acc_bits;
  CHECK(c.register_bits == bits);
  double srams_um2 = 0;
  for (int64_t bytes : {arch.ifmap_sram_bytes, arch.filter_sram_bytes, arch.ofmap_sram_bytes}) {
    srams_um2 += pesim::cost::sram_cost({bytes, pesim::cost::kSramWordBits, pesim::cost::kSramBanks}, tech).area_um2;
  }
  CHECK(c.srams_um2() == Approx(srams_um2));
  CHECK(c.total_um2() ==
        Approx(1000.0 * 64 * 64 + 5000.0 * 64 + bits * cells.at(c.flop_cell).area_um2 + srams_um2).epsilon(1e-12));
  CHECK(c.total_leakage_nw() ==
        Approx(10.0 * 64 * 64 + 40.0 * 64 + bits * cells.at(c.flop_cell).leakage_nw + c.srams_leakage_nw()));
}

TEST_CASE("array registers: the int8 preset worked by hand", "[cost][array]") {
  // 32 x 32 mac_int 8 x 8 -> 32, ws: 17 bits per PE, 496 west skew words of 8 bits, 496 north partial sums of 32.
  const auto c = array_cost(preset("int8"), find_technology("ihp_sg13g2"), design(500.0, 5.0, 50, 10), {});
  CHECK(c.register_bits == 1024 * 17 + 496 * 8 + 496 * 32);
  CHECK(c.shared_units.empty());
  CHECK(c.hop_bits == 8 + 32);
}

TEST_CASE("array energy by component", "[cost][array]") {
  const auto arch = preset("int8");
  const auto c = array_cost(arch, find_technology("ihp_sg13g2"), design(400.0, 5.0, 50, 10), {});
  pesim::cost::AccessCounts n;
  n.pe_operations = 1e6;
  n.macs = 1e6;
  n.ifmap_read_bytes = 8000;
  n.ifmap_write_bytes = 800;
  n.filter_read_bytes = 4000;
  n.ofmap_write_bytes = 1600;
  n.dram_bytes = 1000;
  n.cycles = 5e5;  // 1 ms at 500 MHz
  const auto e = pesim::cost::array_energy(c, n, {2.0, 0.0});
  CHECK(e.pe_pj == Approx(2e6));
  CHECK(e.dram_pj == Approx(1000 * 162.5));
  const auto& ifmap = c.srams[0].cost;
  CHECK(e.ifmap_sram_pj == Approx(8000 * ifmap.read_energy_pj / 8 + 800 * ifmap.write_energy_pj / 8));
  CHECK(e.ofmap_sram_pj == Approx(1600 * c.srams[2].cost.write_energy_pj / 8));
  CHECK(e.leakage_pj == Approx(c.total_leakage_nw() * 1e-9 * 1e-3 * 1e12));
  // 40 bits per MAC over a 20 um pitch at 1.2 V, half toggling: 40 * 0.5 * 0.2 fF/um * 20 um * 1.44 V^2.
  CHECK(e.interconnect_pj == Approx(1e6 * 40 * 0.5 * 0.2 * 20 * 1.44 * 1e-3));
  CHECK(e.total_pj() == Approx(e.pe_pj + e.interconnect_pj + e.ifmap_sram_pj + e.filter_sram_pj + e.ofmap_sram_pj +
                               e.dram_pj + e.leakage_pj));
  CHECK_THROWS_WITH(
      pesim::cost::array_energy(array_cost(arch, find_technology("xilinx"), design(0, 0, 10, 2), {}), n, {1.0, 0.0}),
      Catch::Contains("CMOS technologies only"));
}

TEST_CASE("fallback energy per operation: constant activity, grows with the design", "[cost][array]") {
  const auto& tech = find_technology("ihp_sg13g2");
  const double small = pesim::cost::fallback_energy_per_op_pj(design(2000.0, 10.0, 200, 30), tech);
  const double large = pesim::cost::fallback_energy_per_op_pj(design(8000.0, 40.0, 800, 120), tech);
  CHECK(small > 0.05);
  CHECK(small < 20.0);
  CHECK(large > 3.5 * small);
  CHECK_THROWS(pesim::cost::fallback_energy_per_op_pj(design(1.0, 1.0, 1, 0), find_technology("egfet")));
}

TEST_CASE("array cost: FPGA resources, printed SRAMs not viable, mismatched units", "[cost][array]") {
  SynthesisResult pe;
  pe.cell_counts = {{"LUT6", 30}, {"FDRE", 20}, {"DSP48E1", 1}};
  const auto x = array_cost(preset("int8"), find_technology("xilinx"), pe, {});
  const auto r = x.fpga_logic();
  CHECK(r.lut == 30 * 1024);
  CHECK(r.dsp == 1024);
  CHECK(r.ff == 20 * 1024 + x.register_bits);
  CHECK(x.fpga_bram36() == (256 + 128 + 128) / 4);  // 512 KiB of 32-Kbit blocks
  const auto p =
      array_cost(preset("int8", "rows=2,cols=2,ifmap_sram_bytes=64,filter_sram_bytes=64,ofmap_sram_bytes=64"),
                 find_technology("egfet"), design(1e7, 1e4, 100, 10), {});
  CHECK_FALSE(p.srams[0].cost.viable);
  CHECK_THROWS_AS(array_cost(preset("mixpe-w4a8"), find_technology("ihp_sg13g2"), design(1, 1, 1, 1), {}),
                  std::invalid_argument);
}

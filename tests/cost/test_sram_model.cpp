// SPDX-License-Identifier: Apache-2.0
// The SRAM model: the IHP macros it is fitted to, its scaling over capacity, the OSU scaling, FPGA block counts, the
// printed technology's verdict and bad requests.
#include <catch2/catch.hpp>
#include <cmath>

#include "models/cost/sram_macro_data.h"
#include "models/cost/sram_model.h"
#include "models/cost/technology.h"

namespace {

using pesim::cost::find_technology;
using pesim::cost::sram_cost;
using pesim::cost::SramRequest;

const pesim::cost::Technology& ihp() { return find_technology("ihp_sg13g2"); }

}  // namespace

TEST_CASE("SRAM model reproduces every IHP SG13G2 macro it is fitted to", "[cost][sram]") {
  for (const auto& m : pesim::cost::ihp_sg13g2_sram_macros()) {
    INFO(m.words << "x" << m.bits);
    const auto macro = pesim::cost::sram_macro(ihp(), m.words, m.bits, m.column_mux);
    CHECK(macro.area_um2 == Approx(m.width_um * m.height_um).epsilon(0.03));
    CHECK(macro.leakage_nw == Approx(m.leakage_nw).epsilon(0.002));
    CHECK(macro.write_through_pj == Approx(m.write_through_pj).epsilon(0.08));  // the fit's worst point: 7.6%
    CHECK(macro.read_pj < macro.write_pj);
    // A memory of the macro's size is one macro, no larger than the published one, with no wires between macros.
    const auto c = sram_cost({static_cast<int64_t>(m.words) * m.bits / 8, m.bits, 1}, ihp());
    CHECK(c.macros == 1);
    CHECK(c.macro_words == m.words);
    CHECK(c.area_um2 <= macro.area_um2 * (1 + 1e-12));
    CHECK(c.route_energy_pj == 0);
  }
  // The liberty figures the read and write fractions come from: RM_IHPSG13_1P_1024x64, 91.8272 and 110.9189 pJ.
  const auto c = sram_cost({8192, 64, 1}, ihp());
  CHECK(c.read_energy_pj == Approx(91.8272).epsilon(0.03));
  CHECK(c.write_energy_pj == Approx(110.9189).epsilon(0.03));
}

TEST_CASE("SRAM cost grows monotonically with capacity, energy per access sub-linearly", "[cost][sram]") {
  for (int word_bits : {8, 16, 64, 128}) {
    pesim::cost::SramCost previous;
    for (int64_t bytes = 256; bytes <= (int64_t{4} << 20); bytes += bytes / 4) {
      INFO(word_bits << "-bit words, " << bytes << " bytes");
      const auto c = sram_cost({bytes, word_bits, 1}, ihp());
      CHECK(c.area_um2 >= previous.area_um2);
      CHECK(c.leakage_nw >= previous.leakage_nw);
      CHECK(c.read_energy_pj >= previous.read_energy_pj);
      CHECK(c.write_energy_pj >= previous.write_energy_pj);
      previous = c;
    }
  }
  // 128x the capacity: well under 128x the energy per access and area per bit not rising.
  const auto small = sram_cost({8 << 10, 64, 1}, ihp());
  const auto large = sram_cost({1 << 20, 64, 1}, ihp());
  CHECK(large.read_energy_pj / small.read_energy_pj < std::sqrt(128.0));
  CHECK(large.area_um2 / (1 << 20) <= small.area_um2 / (8 << 10));
}

TEST_CASE("SRAM energy terms scale as sqrt: bit lines with the rows, wires with the area", "[cost][sram]") {
  // Within one macro (64-bit words, mux 2) the bit-line term is proportional to sqrt(rows): 4x the words, 2x it.
  const auto e = [](int64_t words) { return sram_cost({words * 8, 64, 1}, ihp()).write_energy_pj; };
  const double fixed = e(64) - (e(256) - e(64));  // E(64) = f + b, E(256) = f + 2b
  CHECK((e(1024) - fixed) / (e(256) - fixed) == Approx(2.0).epsilon(1e-9));
  // Across full-size macros only the wires grow, as the side of the memory: 4x the macros, 2x the wire energy.
  const auto a = sram_cost({256 << 10, 64, 1}, ihp());
  const auto b = sram_cost({1024 << 10, 64, 1}, ihp());
  CHECK(b.macros == 4 * a.macros);
  CHECK(b.route_energy_pj / a.route_energy_pj == Approx(2.0 * (17.0 + 64) / (15.0 + 64)).epsilon(1e-9));
  CHECK(b.area_um2 == Approx(4 * a.area_um2));
}

TEST_CASE("SRAM banks: each bank its own macros and shorter wires", "[cost][sram]") {
  const auto one = sram_cost({128 << 10, 64, 1}, ihp());
  const auto two = sram_cost({128 << 10, 64, 2}, ihp());
  CHECK(two.area_um2 == Approx(one.area_um2));  // 8 full macros either way
  CHECK(two.macros == one.macros);
  CHECK(two.route_energy_pj < one.route_energy_pj);
}

TEST_CASE("OSU 0.18 um SRAM is the IHP model scaled by F^2 and F V^2", "[cost][sram][osu018]") {
  const auto& osu = find_technology("osu018");
  const auto i = sram_cost({32 << 10, 64, 1}, ihp());
  const auto o = sram_cost({32 << 10, 64, 1}, osu);
  const double s = 180.0 / 130.0;
  CHECK(o.area_um2 / i.area_um2 == Approx(s * s).epsilon(1e-9));
  CHECK(pesim::cost::supply_voltage_v(osu) == Approx(1.8));
  CHECK(pesim::cost::supply_voltage_v(ihp()) == Approx(1.2));
  CHECK(o.read_energy_pj / i.read_energy_pj == Approx(s * 1.5 * 1.5).epsilon(1e-9));  // one macro, no wires
  CHECK(o.leakage_nw > 0);
  CHECK(o.leakage_nw < i.leakage_nw);  // 180 nm cells leak less (OSU INVX1 22 pW vs IHP inv_1 63 pW)
}

TEST_CASE("FPGA block RAM counts", "[cost][sram][fpga]") {
  // 128 KiB = 1 Mbit = 32 RAMB36 (32 Kbit of data each; 64-bit words as 512 x 72) = 64 RAMB18; iCE40: 256 x 4 Kbit.
  const auto x = sram_cost({128 << 10, 64, 1}, find_technology("xilinx"));
  CHECK(x.bram36 == 32);
  CHECK(x.bram18 == 64);
  CHECK(x.area_um2 == 0);
  const auto i = sram_cost({128 << 10, 64, 1}, find_technology("ice40"));
  CHECK(i.ice40_ebr == 256);
  // Narrow and shallow: a 9-bit, 100-word memory still takes one block.
  CHECK(sram_cost({100 * 9 / 8 + 1, 9, 1}, find_technology("xilinx")).bram18 == 1);
}

TEST_CASE("printed EGFET has no SRAM: a register file from its cells, flagged not viable", "[cost][sram][egfet]") {
  const auto c = sram_cost({1024, 8, 1}, find_technology("egfet"));
  CHECK_FALSE(c.viable);
  CHECK(c.area_um2 > 1e8);  // over a square centimetre for 1 KiB
  CHECK(c.leakage_nw > 0);
  CHECK_THAT(c.note, Catch::Contains("not viable"));
}

TEST_CASE("SRAM bad requests: zero or negative capacity, word width, banks", "[cost][sram]") {
  CHECK_THROWS_WITH(sram_cost({0, 64, 1}, ihp()), Catch::Contains("capacity 0 bytes"));
  CHECK_THROWS_AS(sram_cost({-8, 64, 1}, ihp()), std::invalid_argument);
  CHECK_THROWS_WITH(sram_cost({1024, 0, 1}, ihp()), Catch::Contains("word width"));
  CHECK_THROWS_WITH(sram_cost({1024, 64, 0}, ihp()), Catch::Contains("banks"));
}

TEST_CASE("DRAM energy per byte: 1.3 nJ per 64-bit access (Horowitz, ISSCC 2014)", "[cost][sram]") {
  CHECK(pesim::cost::kDramEnergyPerByte_pj / 8 == Approx(20.3125));  // pJ per bit
}

// SPDX-License-Identifier: Apache-2.0
// The cost flow's readers: liberty cells and Yosys logs (values read off the files by hand).
#include <catch2/catch.hpp>

#include "models/cost/liberty.h"
#include "models/cost/synthesis.h"
#include "models/cost/technology.h"

TEST_CASE("liberty cells: area and leakage in nW from the library's unit", "[cost]") {
  const auto cells = pesim::cost::read_liberty_cells(pesim::cost::find_technology("ihp_sg13g2").liberty_path);
  // cell (sg13g2_nand2_1) { area : 7.2576; cell_leakage_power : 81.2216; } with leakage_power_unit "1pW".
  REQUIRE(cells.count("sg13g2_nand2_1") == 1);
  CHECK(cells.at("sg13g2_nand2_1").area_um2 == Approx(7.2576).epsilon(1e-12));
  CHECK(cells.at("sg13g2_nand2_1").leakage_nw == Approx(0.0812216).epsilon(1e-12));
  CHECK(cells.size() == 78);
  CHECK_THROWS_WITH(pesim::cost::find_technology("ihp_sg13"), Catch::Contains("known: ihp_sg13g2"));
  CHECK(cells.at("sg13g2_dfrbp_1").is_flop);
  CHECK_FALSE(cells.at("sg13g2_dlhq_1").is_flop);
}

TEST_CASE("Yosys log: chip area, the last ABC delay, cell counts and their leakage", "[cost]") {
  const std::string log =
      "Yosys 0.23 (git sha1 7ce5011c24b)\n"
      "ABC: WireLoad = \"none\"  Gates =    625 (  6.2 %)   Area =     6367.86 ( 88.2 %)   Delay =  4100.00 ps\n"
      "ABC: WireLoad = \"none\"  Gates =    625 (  6.2 %)   Area =     6367.86 ( 88.2 %)   Delay =  3954.89 ps\n"
      "   Number of cells:                  3\n"
      "     sg13g2_dfrbp_1                  2\n"
      "     sg13g2_nand2_1                  1\n"
      "\n"
      "   Chip area for module '\\mac_int': 101.5976\n";
  const auto r =
      pesim::cost::parse_synthesis_log(log, "mac_int", pesim::cost::find_technology("ihp_sg13g2").liberty_path);
  CHECK(r.area_um2 == Approx(101.5976));
  CHECK(r.delay_ns == Approx(3.95489));
  CHECK(r.cells == 3);
  CHECK(r.flops == 2);
  CHECK(r.tool_version == "Yosys 0.23 (git sha1 7ce5011c24b)");
  CHECK_THROWS(pesim::cost::parse_synthesis_log("no area here", "mac_int",
                                                pesim::cost::find_technology("ihp_sg13g2").liberty_path));
}

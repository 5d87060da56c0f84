// SPDX-License-Identifier: Apache-2.0
// FPGA flows (Yosys logs read by hand) and the cache across technologies.
#include <sqlite3.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <set>

#include "models/cost/cost_cache.h"
#include "models/cost/synthesis.h"
#include "models/cost/technology.h"
#include "models/params/param.h"
#include "models/pe/registry.h"

TEST_CASE("FPGA log: the last stat's primitives, by kind", "[cost]") {
  const std::string log =
      "Yosys 0.23 (git sha1 7ce5011c24b)\n"
      "   Number of cells:                  9\n"
      "     LUT2                            1\n"
      "\n"
      "   Number of cells:               2705\n"
      "     CARRY4                        152\n"
      "     DSP48E1                         2\n"
      "     FDRE                           33\n"
      "     INV                           131\n"
      "     LUT1                           47\n"
      "     LUT6                          350\n"
      "     MUXF7                         418\n"
      "     RAMB18E1                        1\n"
      "     SRL16E                          3\n"
      "\n";
  const auto r = pesim::cost::parse_fpga_log(log);
  CHECK(r.cells == 152 + 2 + 33 + 131 + 47 + 350 + 418 + 1 + 3);
  CHECK(r.flops == 33);
  CHECK(r.area_um2 == 0);
  CHECK(r.tool_version == "Yosys 0.23 (git sha1 7ce5011c24b)");
  const auto f = pesim::cost::fpga_resources(r.cell_counts);
  CHECK(f.lut == 397);
  CHECK(f.ff == 33);
  CHECK(f.carry == 152);
  CHECK(f.dsp == 2);
  CHECK(f.bram == 1);
  CHECK(f.lutram == 3);
  CHECK(f.muxf == 418);
  CHECK(f.other == 131);
  const auto ice40 = pesim::cost::fpga_resources(
      {{"SB_LUT4", 33}, {"SB_DFFESR", 32}, {"SB_DFFSR", 1}, {"SB_CARRY", 31}, {"SB_MAC16", 1}, {"SB_RAM40_4K", 2}});
  CHECK(ice40.lut == 33);
  CHECK(ice40.ff == 33);
  CHECK(ice40.carry == 31);
  CHECK(ice40.dsp == 1);
  CHECK(ice40.bram == 2);
  CHECK(ice40.other == 0);
  CHECK_THROWS_WITH(pesim::cost::parse_fpga_log("no stat"), Catch::Contains("no cell counts"));
}

TEST_CASE("technologies: every kind listed, unknown names rejected with the known ones", "[cost]") {
  CHECK(pesim::cost::technology_names() == "ihp_sg13g2, egfet, xilinx, ice40, osu018");
  CHECK_THROWS_WITH(pesim::cost::find_technology("virtex"), Catch::Contains("known: ihp_sg13g2, egfet, xilinx, ice40"));
  for (const auto& t : pesim::cost::technologies()) {
    INFO(t.name);
    const bool fpga = t.kind == pesim::cost::TechKind::kFpga;
    CHECK((fpga ? t.liberty_path.empty() : std::filesystem::exists(t.liberty_path)));
    CHECK(!t.flow.empty());
    CHECK(t.yosys_commands.find("{top}") != std::string::npos);
  }
}

TEST_CASE("cost cache: keys differ per technology, FPGA counts survive, old caches gain the column", "[cost]") {
  const auto pe = pesim::pe::make_pe("mac_int", pesim::params::parse_set_options({}));
  std::set<std::string> keys;
  for (const auto& t : pesim::cost::technologies()) keys.insert(pesim::cost::cost_key(pe, t, "Yosys 0.23"));
  CHECK(keys.size() == pesim::cost::technologies().size());

  const auto dir = std::filesystem::temp_directory_path() / ("pesim_cost_test_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "old.db").string();
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  // The table as written before cell counts were kept.
  REQUIRE(sqlite3_exec(db,
                       "CREATE TABLE synthesis (key TEXT PRIMARY KEY, pe TEXT NOT NULL, params TEXT NOT NULL, "
                       "tech TEXT NOT NULL, area_um2 REAL NOT NULL, delay_ns REAL NOT NULL, leakage_nw REAL NOT NULL, "
                       "cells INTEGER NOT NULL, flops INTEGER NOT NULL, synthesis_s REAL NOT NULL, tool TEXT NOT NULL, "
                       "created TEXT NOT NULL DEFAULT (datetime('now')));"
                       "INSERT INTO synthesis (key, pe, params, tech, area_um2, delay_ns, leakage_nw, cells, flops, "
                       "synthesis_s, tool) VALUES ('old', 'mac_int', '', 'ihp_sg13g2', 1, 2, 3, 4, 5, 6, 'Yosys');",
                       nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(db);
  {
    pesim::cost::CostCache cache(path);
    const auto old = cache.find("old");
    REQUIRE(old.has_value());
    CHECK(old->area_um2 == 1);
    CHECK(old->cell_counts.empty());
    pesim::cost::SynthesisResult r;
    r.cells = 3;
    r.flops = 1;
    r.cell_counts = {{"DSP48E1", 1}, {"FDRE", 1}, {"LUT6", 1}};
    cache.store("fpga", pe, pesim::cost::find_technology("xilinx"), r);
    const auto back = cache.find("fpga");
    REQUIRE(back.has_value());
    CHECK(back->cell_counts == r.cell_counts);
  }
  std::filesystem::remove_all(dir);
}

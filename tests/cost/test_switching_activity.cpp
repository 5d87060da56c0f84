// SPDX-License-Identifier: Apache-2.0
// The switching-activity power model without Yosys: Liberty functions and tables, the netlist forms, and the
// energy of a two-cell netlist computed by hand.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "models/cost/boolean_function.h"
#include "models/cost/cell_library.h"
#include "models/cost/dynamic_power.h"
#include "models/cost/gate_netlist.h"
#include "models/cost/switching_activity.h"
#include "models/cost/technology.h"

using namespace pesim::cost;

namespace {

// An inverter and a NAND with scalar energies (pJ) and capacitances (pF) chosen for hand arithmetic; 2 V.
constexpr const char* kTinyLiberty = R"lib(library (tiny) {
  capacitive_load_unit (1,pf);
  voltage_unit : "1V";
  time_unit : "1ns";
  leakage_power_unit : "1nW";
  nom_voltage : 2;
  cell (INV) {
    area : 1; cell_leakage_power : 3;
    pin (A) { direction : input; capacitance : 0.01;
      internal_power () { rise_power (scalar) { values ("0.01"); } fall_power (scalar) { values ("0.02"); } } }
    pin (Y) { direction : output; function : "A'";
      internal_power () { related_pin : "A"; rise_power (scalar) { values ("0.1"); }
                          fall_power (scalar) { values ("0.2"); } } }
  }
  cell (NAND2) {
    area : 2; cell_leakage_power : 5;
    leakage_power () { value : 7; when : "A B"; }
    pin (A) { direction : input; capacitance : 0.02; }
    pin (B) { direction : input; capacitance : 0.03; }
    pin (Y) { direction : output; function : "!(A*B)";
      internal_power () { related_pin : "A"; rise_power (scalar) { values ("0.3"); }
                          fall_power (scalar) { values ("0.4"); } }
      internal_power () { related_pin : "B"; rise_power (scalar) { values ("0.5"); }
                          fall_power (scalar) { values ("0.6"); } } }
  }
}
)lib";

std::string write_temp(const std::string& name, const std::string& text) {
  const auto path = std::filesystem::temp_directory_path() / name;
  std::ofstream(path) << text;
  return path.string();
}

// x -> INV -> n -> NAND2.A; y -> NAND2.B; NAND2.Y -> z.
GateNetlist tiny_netlist() {
  return parse_netlist_text(
      "pesim-netlist 1\ntop tiny 6\nport in x 2\nport in y 3\nport out z 5\ncell INV A=2 Y=4\ncell NAND2 A=4 B=3 Y=5\n",
      "tiny");
}

}  // namespace

TEST_CASE("Liberty boolean functions: operators, precedence, errors", "[cost][power]") {
  const std::vector<std::string> v{"A", "B", "C"};
  auto f = [&](const char* text) { return parse_boolean_function(text, v, "test"); };
  for (uint32_t a = 0; a < 8; ++a) {
    const bool A = a & 1, B = a & 2, C = a & 4;
    CHECK(f("!(A B)").at(a) == !(A && B));
    CHECK(f("A' + B").at(a) == (!A || B));
    CHECK(f("A^B*C").at(a) == ((A != B) && C));  // ^ binds tighter than *
    CHECK(f("A|B&C").at(a) == (A || (B && C)));
    CHECK(f("(A+B)'").at(a) == !(A || B));
    CHECK(f("1").at(a));
  }
  CHECK(f("A&B").depends_on(1));
  CHECK_FALSE(f("A&B").depends_on(2));
  CHECK_THROWS_WITH(f("A & D"), Catch::Contains("test: function \"A & D\"") && Catch::Contains("unknown name 'D'"));
  CHECK_THROWS_WITH(f("(A & B"), Catch::Contains("missing ')'"));
}

TEST_CASE("IHP SG13G2 liberty: functions, flops, power arcs, voltage, wire load", "[cost][power]") {
  const CellLibrary lib = CellLibrary::read(find_technology("ihp_sg13g2").liberty_path);
  CHECK(lib.voltage_v() == 1.2);
  const LibertyCellModel* nand = lib.find("sg13g2_nand2_1");
  REQUIRE(nand);
  const int y = nand->pin_index("Y");
  REQUIRE(nand->pins[y].function);
  CHECK(nand->pins[y].function->at(0));  // A = B = 0
  CHECK_FALSE(nand->pins[y].function->at((1u << nand->pin_index("A")) | (1u << nand->pin_index("B"))));
  const LibertyCellModel* dff = lib.find("sg13g2_dfrbp_1");
  REQUIRE(dff);
  CHECK(dff->storage.kind == StorageSpec::Kind::kFlop);
  CHECK(dff->state_variables == std::vector<std::string>{"IQ", "IQN"});
  CHECK(dff->storage.clear.has_value());
  CHECK(dff->arcs.size() > 10);  // CLK->Q, RESET_B->Q, and the state-dependent input-pin groups
  // CLK -> Q rise_power at the table's first corner (0.0186 ns, 0.001 pF) is 0.030492 pJ.
  bool found = false;
  for (const PowerArc& arc : dff->arcs) {
    if (arc.pin == dff->pin_index("Q") && arc.related_pin == dff->pin_index("CLK")) {
      CHECK(arc.rise.at(0.0186, 0.001) == Approx(0.030492));
      found = true;
    }
  }
  CHECK(found);
  CHECK(lib.representative_transition_ns() > 0.01);
  CHECK(lib.representative_transition_ns() < 0.2);
  const auto wire = lib.wire_load_for_area(1000);  // 635 .. 3175 um2: "0_5k"
  REQUIRE(wire);
  CHECK(wire->name == "0_5k");
  CHECK(wire->capacitance_pf(1) == Approx(0.0001 * 7.89));
  CHECK(wire->capacitance_pf(30) == Approx(0.0001 * (169.4 + 10.99 * 10)));
}

TEST_CASE("EGFET liberty reads, its flop clocks on CP with an active-low clear", "[cost][power]") {
  const CellLibrary lib = CellLibrary::read(find_technology("egfet").liberty_path);
  CHECK(lib.voltage_v() == 1.0);
  const LibertyCellModel* dff = lib.find("DFFNRX1");
  REQUIRE(dff);
  CHECK(dff->storage.kind == StorageSpec::Kind::kFlop);
  CHECK(dff->storage.clear->at(0));  // RST_N = 0 clears
}

TEST_CASE("Liberty syntax errors name the file and line", "[cost][power]") {
  const std::string path =
      write_temp("pesim_bad.lib", "library (x) {\n  nom_voltage : 1;\n  cell (A) {\n    area 3;\n  }\n}\n");
  CHECK_THROWS_WITH(CellLibrary::read(path), Catch::Contains("pesim_bad.lib:4"));
}

TEST_CASE("Netlist text round trip and its errors", "[cost][power]") {
  const GateNetlist n = tiny_netlist();
  CHECK(parse_netlist_text(netlist_text(n), "again").cells.size() == 2);
  CHECK_THROWS_WITH(parse_netlist_text("pesim-netlist 1\ntop t 3\ncell INV A=7\n", "cache"),
                    Catch::Contains("cache:3: bad net '7'"));
  const std::string json = R"({"modules": {"t": {"ports": {"a": {"direction": "input", "bits": [2]},
      "y": {"direction": "output", "bits": [3, "0"]}}, "cells": {"g": {"type": "INV",
      "connections": {"A": [2], "Y": [3]}}}}}})";
  const GateNetlist j = read_yosys_json(json, "t", "x.json");
  CHECK(j.nets == 4);
  CHECK(j.port("y")->bits == std::vector<int>{3, GateNetlist::kConst0});
  CHECK_THROWS_WITH(read_yosys_json(json, "u", "x.json"), Catch::Contains("x.json"));
}

TEST_CASE("Energy of a two-cell netlist, computed by hand", "[cost][power]") {
  const CellLibrary lib = CellLibrary::read(write_temp("pesim_tiny.lib", kTinyLiberty));
  const GateNetlist netlist = tiny_netlist();
  GateSimulator sim(netlist, lib);  // x = y = 0: n = 1, z = 1
  const int x = sim.port_index("x"), y = sim.port_index("y"), z = sim.port_index("z");
  // Cycle 1: x, y rise; n falls; z stays 1 (n = 0).
  sim.set_input(x, 1);
  sim.set_input(y, 1);
  sim.cycle();
  CHECK(sim.output(z) == 1);
  // Cycle 2: x falls; n rises; z falls (NAND output arc related to A, the input that changed).
  sim.set_input(x, 0);
  sim.cycle();
  CHECK(sim.output(z) == 0);
  const DynamicEnergy e = simulated_energy(sim, 3.0);
  // Internal: INV input 0.01 (x rise) + 0.02 (x fall); INV output 0.2 (n fall) + 0.1 (n rise); NAND output A-arc
  // fall 0.4. NAND's inputs have no internal power.
  CHECK(e.internal_pj == Approx(0.01 + 0.02 + 0.2 + 0.1 + 0.4));
  // Switching, 0.5 C V^2 with V = 2: x twice on 0.01 pF, n twice on 0.02, y once on 0.03, z once on no load.
  CHECK(e.switching_pj == Approx(0.5 * 4 * (2 * 0.01 + 2 * 0.02 + 1 * 0.03)));
  CHECK(e.wire_load == "none");
  CHECK(e.cycles == 2);
  // Toggle rate: 6 transitions over 4 nets and 2 cycles.
  CHECK(e.toggle_rate == Approx(6.0 / 8.0));
  // Leakage at each cycle's end: INV 3; NAND 5 (its average: A = 0 after cycle 1), then 7 (A B after cycle 2).
  CHECK(e.leakage_state_nw == Approx((3 + 5 + 3 + 7) / 2.0));
  CHECK(e.dynamic_power_uw(100) == Approx(e.energy_pj() / 2 * 100));
  // A constant input adds no transitions and no energy.
  sim.clear_counts();
  for (int i = 0; i < 5; ++i) sim.cycle();
  CHECK(simulated_energy(sim, 3.0).energy_pj() == 0);
}

TEST_CASE("Constant-activity fallback: every net at the factor", "[cost][power]") {
  const CellLibrary lib = CellLibrary::read(write_temp("pesim_tiny2.lib", kTinyLiberty));
  const GateNetlist netlist = tiny_netlist();
  GateSimulator sim(netlist, lib);
  const DynamicEnergy e = constant_activity_energy(sim, 3.0, 0.5, 10);
  CHECK(e.constant_activity);
  // Nets x (0.01), n (0.02), y (0.03), z (0): 0.5 transitions per cycle each, 10 cycles, 0.5 C V^2 with V = 2.
  CHECK(e.switching_pj == Approx(0.5 * 4 * 0.06 * 0.5 * 10));
  // Per pin 0.25 rises and 0.25 falls per cycle over its arcs: INV A (0.01, 0.02), INV Y (0.1, 0.2), NAND Y two arcs.
  const double inv = 0.25 * (0.01 + 0.02) + 0.25 * (0.1 + 0.2);
  const double nand = 0.5 * 0.25 * (0.3 + 0.4) + 0.5 * 0.25 * (0.5 + 0.6);
  CHECK(e.internal_pj == Approx(10 * (inv + nand)));
}

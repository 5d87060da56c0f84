// SPDX-License-Identifier: Apache-2.0
// The gate-level simulator on netlists Yosys maps (label cost: runs Yosys): every cycle's out_acc against the
// functional core's mac(), bit for bit, which checks the netlist evaluation independently of the power model.
#include <catch2/catch.hpp>
#include <random>

#include "models/cost/cell_library.h"
#include "models/cost/dynamic_power.h"
#include "models/cost/gate_netlist.h"
#include "models/cost/switching_activity.h"
#include "models/cost/synthesis.h"
#include "models/cost/technology.h"
#include "models/pe/registry.h"

using namespace pesim;
using namespace pesim::cost;

namespace {

struct Mapped {
  pe::PeInstance pe;
  GateNetlist netlist;
  CellLibrary library;
};

Mapped map_pe(const std::string& kind, const std::string& settings, const std::string& tech_name) {
  pe::PeInstance pe = pe::make_pe(kind, params::parse_set_options({settings}));
  const Technology& tech = find_technology(tech_name);
  const SynthesisResult r = synthesize(pe, tech);
  REQUIRE_FALSE(r.netlist.empty());
  return Mapped{std::move(pe), parse_netlist_text(r.netlist, kind), CellLibrary::read(tech.liberty_path)};
}

uint64_t mask(int bits) { return bits >= 64 ? ~uint64_t{0} : (uint64_t{1} << bits) - 1; }

// Random operands and partial sums, valid on 7 of 8 cycles; returns the mismatches of out_acc against mac() of
// the previous valid operation (STAGES = 1: the result is registered at the cycle's edge).
int64_t random_lockstep(const Mapped& m, int cycles, uint64_t seed, int64_t& compared) {
  GateSimulator sim(m.netlist, m.library);
  const int rst = sim.port_index("rst"), valid = sim.port_index("in_valid"), a = sim.port_index("in_a"),
            b = sim.port_index("in_b"), c = sim.port_index("in_c"), out_valid = sim.port_index("out_valid"),
            out_acc = sim.port_index("out_acc");
  const pe::PortWidths w = m.pe.core->widths();
  std::mt19937_64 rng(seed);
  sim.set_input(rst, 1);
  sim.cycle();
  sim.set_input(rst, 0);
  int64_t mismatches = 0;
  uint64_t expected = 0;
  for (int t = 0; t < cycles; ++t) {
    const bool v = rng() % 8 != 0;
    const uint64_t av = rng() & mask(w.a_bits), bv = rng() & mask(w.b_bits), cv = rng() & mask(w.acc_bits);
    sim.set_input(valid, v);
    sim.set_input(a, av);
    sim.set_input(b, bv);
    sim.set_input(c, cv);
    sim.cycle();
    if (v) expected = m.pe.core->mac(av, bv, cv);
    CHECK(sim.output(out_valid) == v);
    if (v) {
      ++compared;
      if (sim.output(out_acc) != expected) {
        ++mismatches;
        UNSCOPED_INFO("cycle " << t << ": a " << av << " b " << bv << " c " << cv << ": netlist " << sim.output(out_acc)
                               << ", core " << expected);
      }
    } else {
      CHECK(sim.output(out_acc) == expected);  // held
    }
  }
  return mismatches;
}

}  // namespace

TEST_CASE("Gate netlist of mac_int 4x4 (IHP) equals the core's mac() every cycle", "[cost][power]") {
  const Mapped m = map_pe("mac_int", "a_bits=4,b_bits=4,acc_bits=12", "ihp_sg13g2");
  int64_t compared = 0;
  CHECK(random_lockstep(m, 5000, 1, compared) == 0);
  CHECK(compared > 4000);
}

TEST_CASE("Gate netlist of mac_int 4x4 (EGFET: negative-edge flops behind a clock inverter) equals mac()",
          "[cost][power]") {
  const Mapped m = map_pe("mac_int", "a_bits=4,b_bits=4,acc_bits=12", "egfet");
  int64_t compared = 0;
  CHECK(random_lockstep(m, 3000, 2, compared) == 0);
}

TEST_CASE("Gate netlist of fma_fp bf16 exact and approx (IHP) equals mac() every cycle", "[cost][power]") {
  for (const char* settings : {"in=bf16,acc=fp32", "in=bf16,acc=fp32,norm=approx,window_bits=2"}) {
    INFO(settings);
    const Mapped m = map_pe("fma_fp", settings, "ihp_sg13g2");
    int64_t compared = 0;
    CHECK(random_lockstep(m, 3000, 3, compared) == 0);
  }
}

TEST_CASE("A constant stimulus toggles no data net after the first cycle; the clock still costs energy",
          "[cost][power]") {
  const Mapped m = map_pe("mac_int", "a_bits=4,b_bits=4,acc_bits=12", "ihp_sg13g2");
  GateSimulator sim(m.netlist, m.library);
  sim.set_input(sim.port_index("rst"), 0);
  sim.set_input(sim.port_index("in_valid"), 1);
  sim.set_input(sim.port_index("in_a"), 5);
  sim.set_input(sim.port_index("in_b"), 11);
  sim.set_input(sim.port_index("in_c"), 1234);
  sim.cycle();
  sim.clear_counts();
  for (int t = 0; t < 100; ++t) sim.cycle();
  const ActivityCounts& c = sim.counts();
  for (int n = 0; n < sim.nets(); ++n) {
    if (n == sim.clock_net()) {
      CHECK(c.net_rises[n] == 100);
      CHECK(c.net_falls[n] == 100);
    } else {
      CHECK(c.net_rises[n] + c.net_falls[n] == 0);
    }
  }
  const DynamicEnergy e = simulated_energy(sim, 1000);
  CHECK(e.toggle_rate == 0);
  CHECK(e.energy_pj() > 0);
  CHECK(e.clock_pj == Approx(e.energy_pj()));
}

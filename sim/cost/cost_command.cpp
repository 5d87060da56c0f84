// SPDX-License-Identifier: Apache-2.0
#include "sim/cost/cost_command.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "models/cost/cost_cache.h"
#include "models/pe/registry.h"
#include "pesim/version.h"

namespace pesim::cost {

namespace {

struct SharedUnitCost {
  const pe::SharedUnit* unit = nullptr;
  SynthesisResult result;
  bool cached = false;
};

// A shared unit as a synthesizable design of its own, named after its PE.
pe::PeInstance unit_design(const pe::PeInstance& pe, const pe::SharedUnit& unit) {
  pe::PeInstance design;
  design.kind = pe.kind + "." + unit.name;
  design.params = pe.params;
  design.rtl = unit.rtl;
  return design;
}

void print_text(const pe::PeInstance& pe, const Technology& tech, const SynthesisResult& r, bool hit,
                const std::vector<SharedUnitCost>& units, std::ostream& out) {
  out << fmt::format("pe          {} {}\n", pe.kind, pe.params_text());
  out << fmt::format("technology  {}: {}\n", tech.name, tech.description);
  out << fmt::format("area        {:.1f} um2 ({} cells, {} flops)\n", r.area_um2, r.cells, r.flops);
  out << fmt::format("delay       {:.3f} ns register to register (max clock {:.0f} MHz)\n", r.delay_ns,
                     r.delay_ns > 0 ? 1000.0 / r.delay_ns : 0.0);
  out << fmt::format("leakage     {:.3f} uW\n", r.leakage_nw / 1000.0);
  const double cycles = pe::cycles_per_mac(pe.timing, pe.core->widths());
  out << fmt::format("throughput  {:.4f} cycles per MAC; area x cycles per MAC {:.1f} um2\n", cycles,
                     r.area_um2 * cycles);
  out << fmt::format("synthesis   {:.2f} s{} with {}\n", r.synthesis_seconds, hit ? " (cached result)" : "",
                     r.tool_version);
  for (const SharedUnitCost& u : units) {
    out << fmt::format(
        "shared unit {}: area {:.1f} um2 ({} cells, {} flops), delay {:.3f} ns, leakage {:.3f} uW{}; not "
        "in the PE's figures above, shared by {}\n",
        u.unit->name, u.result.area_um2, u.result.cells, u.result.flops, u.result.delay_ns,
        u.result.leakage_nw / 1000.0, u.cached ? " (cached)" : "", u.unit->shared_by);
  }
  out << "flow        " << kCmosFlow << "\n";
}

void print_json(const pe::PeInstance& pe, const Technology& tech, const SynthesisResult& r, bool hit,
                const std::vector<SharedUnitCost>& units, std::ostream& out) {
  nlohmann::json j{{"pe", pe.kind},
                   {"params", pe.params},
                   {"tech", tech.name},
                   {"area_um2", r.area_um2},
                   {"delay_ns", r.delay_ns},
                   {"max_clock_mhz", r.delay_ns > 0 ? 1000.0 / r.delay_ns : 0.0},
                   {"leakage_uw", r.leakage_nw / 1000.0},
                   {"cycles_per_mac", pe::cycles_per_mac(pe.timing, pe.core->widths())},
                   {"cells", r.cells},
                   {"flops", r.flops},
                   {"synthesis_s", r.synthesis_seconds},
                   {"cached", hit},
                   {"tool", r.tool_version},
                   {"flow", kCmosFlow},
                   {"pesim_version", kGitDescribe}};
  nlohmann::json unit_list = nlohmann::json::array();
  double units_area_um2 = 0;
  for (const SharedUnitCost& u : units) {
    unit_list.push_back({{"name", u.unit->name},
                         {"shared_by", u.unit->shared_by},
                         {"area_um2", u.result.area_um2},
                         {"delay_ns", u.result.delay_ns},
                         {"leakage_uw", u.result.leakage_nw / 1000.0},
                         {"cells", u.result.cells},
                         {"flops", u.result.flops},
                         {"cached", u.cached}});
    units_area_um2 += u.result.area_um2;
  }
  j["shared_units"] = unit_list;
  j["shared_units_area_um2"] = units_area_um2;  // not included in area_um2
  out << j.dump() << "\n";
}

}  // namespace

void add_cost_subcommand(CLI::App& app, CostRequest& request) {
  auto* cmd = app.add_subcommand("cost", "Area, delay and leakage of a PE configuration, synthesized from its RTL");
  cmd->add_option("pe", request.pe, "PE kind (pesim list pes)")->required();
  cmd->add_option("--set", request.settings, "PE parameters key=value[,key=value]");
  cmd->add_option("--tech", request.tech, "technology: ihp_sg13g2")->capture_default_str();
  cmd->add_option("--db", request.db, "SQLite cache of synthesis results")->capture_default_str();
  cmd->add_option("--format", request.format, "text or json")->check(CLI::IsMember({"text", "json"}));
}

int run_cost(const CostRequest& request, std::ostream& out, std::ostream& err) {
  pe::PeInstance pe;
  const Technology* tech = nullptr;
  try {
    pe = pe::make_pe(request.pe, params::parse_set_options(request.settings));
    tech = &find_technology(request.tech);
  } catch (const std::exception& e) {  // params::ParamError, unknown technology
    err << "pesim cost: " << e.what() << "\n";
    return 2;
  }
  try {
    CostCache cache(request.db);
    bool hit = false;
    const SynthesisResult r = cached_synthesis(cache, pe, *tech, hit);
    std::vector<SharedUnitCost> units;
    for (const pe::SharedUnit& unit : pe.shared_units) {
      SharedUnitCost u{&unit, {}, false};
      u.result = cached_synthesis(cache, unit_design(pe, unit), *tech, u.cached);
      units.push_back(std::move(u));
    }
    if (request.format == "json") {
      print_json(pe, *tech, r, hit, units, out);
    } else {
      print_text(pe, *tech, r, hit, units, out);
    }
  } catch (const std::runtime_error& e) {
    err << "pesim cost: " << e.what() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace pesim::cost

// SPDX-License-Identifier: Apache-2.0
#include "sim/cost/cost_command.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <optional>

#include "models/cost/array_cost.h"
#include "models/cost/cost_cache.h"
#include "models/cost/printed_calibration.h"
#include "models/pe/registry.h"
#include "pesim/version.h"
#include "sim/cost/array_cost_command.h"
#include "sim/cost/power_report.h"

namespace pesim::cost {

namespace {

constexpr double kUm2PerCm2 = 1e8;
constexpr const char* kFpgaNotApplicable =
    "not applicable: FPGA primitives have no cell area or liberty leakage, and Yosys has no FPGA timing model";

struct SharedUnitCost {
  const pe::SharedUnit* unit = nullptr;
  SynthesisResult result;
  bool cached = false;
  std::optional<PowerEstimate> power;  // from the unit's part of the PE's operand stream
};

std::string fpga_text(const SynthesisResult& r) {
  const FpgaResources f = fpga_resources(r.cell_counts);
  return fmt::format("LUT {}, FF {}, carry {}, DSP {}, BRAM {}, LUTRAM {}, MUXF {}, other {}", f.lut, f.ff, f.carry,
                     f.dsp, f.bram, f.lutram, f.muxf, f.other);
}

// One design's figures in one line, in the technology's units.
std::string figures_text(const Technology& tech, const SynthesisResult& r) {
  switch (tech.kind) {
    case TechKind::kPrinted:
      return fmt::format("area {:.4f} cm2 ({} cells, {} flops), delay {:.1f} ms, power {:.4f} mW",
                         r.area_um2 / kUm2PerCm2, r.cells, r.flops, r.delay_ns * 1e-6,
                         total_power_mw(tech, r.leakage_nw));
    case TechKind::kFpga:
      return fpga_text(r);
    case TechKind::kCmos:
      break;
  }
  return fmt::format("area {:.1f} um2 ({} cells, {} flops), delay {:.3f} ns, leakage {:.3f} uW", r.area_um2, r.cells,
                     r.flops, r.delay_ns, r.leakage_nw / 1000.0);
}

void print_figures(const Technology& tech, const SynthesisResult& r, double cycles, std::ostream& out) {
  switch (tech.kind) {
    case TechKind::kCmos:
      out << fmt::format("area        {:.1f} um2 ({} cells, {} flops)\n", r.area_um2, r.cells, r.flops);
      out << fmt::format("delay       {:.3f} ns register to register (max clock {:.0f} MHz)\n", r.delay_ns,
                         r.delay_ns > 0 ? 1000.0 / r.delay_ns : 0.0);
      out << fmt::format("leakage     {:.3f} uW\n", r.leakage_nw / 1000.0);
      out << fmt::format("throughput  {:.4f} cycles per MAC; area x cycles per MAC {:.1f} um2\n", cycles,
                         r.area_um2 * cycles);
      return;
    case TechKind::kPrinted: {
      const FlowCalibration& c = *tech.calibration;
      out << fmt::format(
          "area        {:.4f} cm2 = {:.0f} um2 ({} cells, {} flops); by this flow's calibration ~{:.4f} "
          "cm2 in Design Compiler\n",
          r.area_um2 / kUm2PerCm2, r.area_um2, r.cells, r.flops, r.area_um2 / kUm2PerCm2 / c.area_ratio);
      out << fmt::format("delay       {:.1f} ms register to register (max clock {:.1f} Hz)\n", r.delay_ns * 1e-6,
                         r.delay_ns > 0 ? 1e9 / r.delay_ns : 0.0);
      out << fmt::format("power       {:.4f} mW = {:.2f} x cell leakage {:.4f} mW (leakage-dominated at a few hertz)\n",
                         total_power_mw(tech, r.leakage_nw), tech.power_per_leakage, r.leakage_nw * 1e-6);
      out << fmt::format("throughput  {:.4f} cycles per MAC; area x cycles per MAC {:.4f} cm2\n", cycles,
                         r.area_um2 / kUm2PerCm2 * cycles);
      return;
    }
    case TechKind::kFpga:
      out << "resources   " << fpga_text(r) << " (" << r.cells << " cells)\n";
      out << "area, delay, leakage: " << kFpgaNotApplicable << "\n";
      out << fmt::format("throughput  {:.4f} cycles per MAC\n", cycles);
      return;
  }
}

void print_text(const pe::PeInstance& pe, const Technology& tech, const SynthesisResult& r, bool hit,
                const std::vector<SharedUnitCost>& units, std::ostream& out) {
  out << fmt::format("pe          {} {}\n", pe.kind, pe.params_text());
  out << fmt::format("technology  {}: {}\n", tech.name, tech.description);
  print_figures(tech, r, pe::cycles_per_mac(pe.timing, pe.core->widths()), out);
  out << fmt::format("synthesis   {:.2f} s{} with {}\n", r.synthesis_seconds, hit ? " (cached result)" : "",
                     r.tool_version);
  for (const SharedUnitCost& u : units) {
    out << fmt::format("shared unit {}: {}{}; not in the PE's figures above, shared by {}\n", u.unit->name,
                       figures_text(tech, u.result), u.cached ? " (cached)" : "", u.unit->shared_by);
    if (u.power)
      out << fmt::format(
          "            {}: {:.4f} pJ per operation over {} operations; netlist check: {} outputs, {} "
          "mismatches\n",
          u.unit->name, u.power->energy_per_op_pj, u.power->stimulus.operations, u.power->checked_outputs,
          u.power->mismatches);
  }
  out << "flow        " << tech.flow << "\n";
  if (tech.calibration) {
    const FlowCalibration& c = *tech.calibration;
    out << fmt::format("calibration this flow's area = {:.2f} +- {:.2f} x {} ({})\n", c.area_ratio, c.area_ratio_sd,
                       c.reference, c.source);
  }
}

// The technology's figures of one design, with units in the names.
nlohmann::json figures_json(const Technology& tech, const SynthesisResult& r) {
  nlohmann::json j{{"cells", r.cells}, {"flops", r.flops}};
  switch (tech.kind) {
    case TechKind::kCmos:
      j.update({{"area_um2", r.area_um2},
                {"delay_ns", r.delay_ns},
                {"max_clock_mhz", r.delay_ns > 0 ? 1000.0 / r.delay_ns : 0.0},
                {"leakage_uw", r.leakage_nw / 1000.0}});
      break;
    case TechKind::kPrinted:
      j.update({{"area_um2", r.area_um2},
                {"area_cm2", r.area_um2 / kUm2PerCm2},
                {"delay_ns", r.delay_ns},
                {"delay_ms", r.delay_ns * 1e-6},
                {"max_clock_hz", r.delay_ns > 0 ? 1e9 / r.delay_ns : 0.0},
                {"leakage_mw", r.leakage_nw * 1e-6},
                {"power_mw", total_power_mw(tech, r.leakage_nw)}});
      break;
    case TechKind::kFpga: {
      const FpgaResources f = fpga_resources(r.cell_counts);
      j.update({{"lut", f.lut},
                {"ff", f.ff},
                {"carry", f.carry},
                {"dsp", f.dsp},
                {"bram", f.bram},
                {"lutram", f.lutram},
                {"muxf", f.muxf},
                {"other_cells", f.other},
                {"cell_counts", r.cell_counts}});
      break;
    }
  }
  return j;
}

void print_json(const pe::PeInstance& pe, const Technology& tech, const SynthesisResult& r, bool hit,
                const std::vector<SharedUnitCost>& units, const nlohmann::json& power, std::ostream& out) {
  nlohmann::json j = figures_json(tech, r);
  j.update({{"pe", pe.kind},
            {"params", pe.params},
            {"tech", tech.name},
            {"cycles_per_mac", pe::cycles_per_mac(pe.timing, pe.core->widths())},
            {"synthesis_s", r.synthesis_seconds},
            {"cached", hit},
            {"tool", r.tool_version},
            {"flow", tech.flow},
            {"pesim_version", kGitDescribe}});
  if (tech.kind == TechKind::kFpga)
    j["not_applicable"] = {{"fields", {"area_um2", "delay_ns", "leakage_uw"}}, {"reason", kFpgaNotApplicable}};
  if (tech.kind == TechKind::kPrinted) {
    j["power_model"] =
        fmt::format("power_mw = {:.2f} x sum of the cells' liberty leakage (state average)", tech.power_per_leakage);
  }
  if (tech.calibration) {
    j.update({{"calibration_area_ratio", tech.calibration->area_ratio},
              {"calibration_area_ratio_sd", tech.calibration->area_ratio_sd},
              {"calibration_designs", tech.calibration->designs},
              {"calibration_reference", tech.calibration->reference}});
  }
  nlohmann::json unit_list = nlohmann::json::array();
  double units_area_um2 = 0;
  for (const SharedUnitCost& u : units) {
    nlohmann::json unit = figures_json(tech, u.result);
    unit.update({{"name", u.unit->name}, {"shared_by", u.unit->shared_by}, {"cached", u.cached}});
    if (u.power)
      unit.update({{"energy_per_op_pj", u.power->energy_per_op_pj},
                   {"power_operations", u.power->stimulus.operations},
                   {"netlist_checked_outputs", u.power->checked_outputs},
                   {"netlist_mismatches", u.power->mismatches}});
    unit_list.push_back(unit);
    units_area_um2 += u.result.area_um2;
  }
  j["shared_units"] = unit_list;
  if (tech.kind != TechKind::kFpga) j["shared_units_area_um2"] = units_area_um2;  // not included in area_um2
  j.update(power);
  out << j.dump() << "\n";
}

int print_calibration(const Technology& tech, std::ostream& out, std::ostream& err) {
  try {
    out << calibration_table(tech);
  } catch (const std::invalid_argument& e) {
    err << "pesim cost: " << e.what() << "\n";
    return 2;
  } catch (const std::runtime_error& e) {
    err << "pesim cost: " << e.what() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace

void add_cost_subcommand(CLI::App& app, CostRequest& request) {
  auto* cmd = app.add_subcommand("cost",
                                 "Area, delay and power (or FPGA resources) of a PE configuration, synthesized "
                                 "from its RTL");
  cmd->add_option("pe", request.pe, "PE kind (pesim list pes); not with --calibration");
  cmd->add_option("--set", request.settings, "PE parameters key=value[,key=value]");
  cmd->add_option("--tech", request.tech, "technology: " + technology_names())->capture_default_str();
  cmd->add_option("--db", request.db, "SQLite cache of synthesis results")->capture_default_str();
  cmd->add_option("--format", request.format, "text or json")->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("--arch", request.arch,
                  "cost a whole array: a preset (pesim list arch) or a .yaml/.cfg file; --set then sets its "
                  "parameters (pe.KEY for the PE's)");
  cmd->add_flag("--calibration", request.calibration,
                "print the technology's cell table and power model against its published designs (egfet)");
  add_power_options(*cmd, request.power);
}

int run_cost(const CostRequest& request, std::ostream& out, std::ostream& err) {
  if (!request.arch.empty()) return run_array_cost(request, out, err);
  pe::PeInstance pe;
  const Technology* tech = nullptr;
  try {
    tech = &find_technology(request.tech);
    if (request.calibration) return print_calibration(*tech, out, err);
    if (request.pe.empty()) throw std::invalid_argument("a PE kind is required (pesim list pes)");
    pe = pe::make_pe(request.pe, params::parse_set_options(request.settings));
  } catch (const std::exception& e) {  // params::ParamError, unknown technology
    err << "pesim cost: " << e.what() << "\n";
    return 2;
  }
  try {
    CostCache cache(request.db);
    bool hit = false;
    const bool power = !request.power.skip && power_not_applicable(*tech).empty();
    const SynthesisResult r = cached_synthesis(cache, pe, *tech, hit, power);
    std::vector<SharedUnitCost> units;
    for (const pe::SharedUnit& unit : pe.shared_units) {
      SharedUnitCost u{&unit, {}, false};
      u.result = cached_synthesis(cache, shared_unit_design(pe, unit), *tech, u.cached, power);
      if (power && unit.operation && request.power.activity_factor == 0)
        u.power = estimate_unit_power(pe, unit, *tech, u.result, request.power);  // nothing if the stream skips it
      units.push_back(std::move(u));
    }
    std::optional<PowerEstimate> estimate;
    if (power) estimate = estimate_power(pe, *tech, r, request.power);
    if (request.format == "json") {
      nlohmann::json power_fields = nlohmann::json::object();
      if (estimate) power_fields = power_json(*estimate, *tech);
      const std::string no_power = power_not_applicable(*tech);
      if (!no_power.empty()) power_fields["dynamic_power_not_applicable"] = no_power;
      print_json(pe, *tech, r, hit, units, power_fields, out);
    } else {
      print_text(pe, *tech, r, hit, units, out);
      if (estimate) print_power_text(*estimate, *tech, out);
      if (!power_not_applicable(*tech).empty()) out << "dynamic     " << power_not_applicable(*tech) << "\n";
    }
  } catch (const StimulusError& e) {  // a bad vector file, .npy file or stimulus option
    err << "pesim cost: " << e.what() << "\n";
    return 2;
  } catch (const std::runtime_error& e) {
    err << "pesim cost: " << e.what() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace pesim::cost

// SPDX-License-Identifier: Apache-2.0
#include "sim/cost/array_cost_command.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "models/array/arch.h"
#include "models/cost/array_cost.h"
#include "models/cost/cost_cache.h"
#include "pesim/version.h"

namespace pesim::cost {

namespace {

constexpr double kUm2PerMm2 = 1e6;

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

array::ArchSpec load_arch(const CostRequest& r) {
  params::Settings settings = ends_with(r.arch, ".yaml") || ends_with(r.arch, ".yml") || ends_with(r.arch, ".cfg")
                                  ? array::read_arch_file(r.arch)
                                  : array::preset_settings(r.arch);
  for (auto& [key, setting] : params::parse_set_options(r.settings)) settings[key] = setting;
  return array::make_arch(settings);
}

std::string sram_shape(const ArraySram& s) {
  if (s.cost.bram36 > 0) return fmt::format("{} RAMB36E1 or {} RAMB18E1", s.cost.bram36, s.cost.bram18);
  if (s.cost.ice40_ebr > 0) return fmt::format("{} SB_RAM40_4K", s.cost.ice40_ebr);
  if (!s.cost.viable) return "register file (no SRAM)";
  return fmt::format("{} x {} banks, {} macros of {}x{}", s.capacity_bytes / kSramBanks, kSramBanks, s.cost.macros,
                     s.cost.macro_words, s.cost.macro_bits);
}

// One row of the area table: name, what, area and leakage.
void print_row(std::ostream& out, const std::string& name, const std::string& what, double area_um2, double total_um2,
               double leakage_nw) {
  out << fmt::format("{:<16} {:<52} {:>14.0f} {:>10.4f} {:>6.1f}% {:>12.3f}\n", name, what, area_um2,
                     area_um2 / kUm2PerMm2, total_um2 > 0 ? 100.0 * area_um2 / total_um2 : 0.0, leakage_nw / 1000.0);
}

void print_cells_text(const array::ArchSpec& arch, const ArrayCost& c, std::ostream& out) {
  const double total = c.total_um2();
  out << fmt::format("{:<16} {:<52} {:>14} {:>10} {:>7} {:>12}\n", "component", "", "area um2", "mm2", "share",
                     "leakage uW");
  print_row(out, "PE array",
            fmt::format("{} x {:.1f} um2 ({}x{})", c.pe.count, c.pe.unit.area_um2, arch.rows, arch.cols),
            c.pe_array_um2(), total, c.pe_array_leakage_nw());
  for (const ArrayPart& u : c.shared_units) {
    print_row(out, "unit " + u.name, fmt::format("{} x {:.1f} um2 (one per row)", u.count, u.unit.area_um2),
              u.count * u.unit.area_um2, total, u.count * u.unit.leakage_nw);
  }
  print_row(out, "array registers",
            fmt::format("{} bits x {} {:.2f} um2", c.register_bits, c.flop_cell, c.flop_area_um2), c.registers_um2(),
            total, c.registers_leakage_nw());
  for (const ArraySram& s : c.srams) {
    print_row(out, s.name + " SRAM", fmt::format("{} B: {}", s.capacity_bytes, sram_shape(s)), s.cost.area_um2, total,
              s.cost.leakage_nw);
  }
  print_row(out, "total", "", total, total, c.total_leakage_nw());
  if (c.kind == TechKind::kPrinted) out << fmt::format("total area  {:.4g} cm2\n", total * 1e-8);
  for (const ArraySram& s : c.srams) {
    if (!s.cost.note.empty()) out << s.name << " SRAM: " << s.cost.note << "\n";
  }
  if (c.kind == TechKind::kCmos) {
    const ArraySram& s = c.srams.front();
    out << fmt::format("sram access ifmap {:.2f} pJ read, {:.2f} pJ write per {}-bit word (wires {:.2f} pJ)\n",
                       s.cost.read_energy_pj, s.cost.write_energy_pj, kSramWordBits, s.cost.route_energy_pj);
  }
}

void print_fpga_text(const ArrayCost& c, std::ostream& out) {
  const FpgaResources r = c.fpga_logic();
  out << fmt::format("logic       LUT {}, FF {} ({} array register bits), carry {}, DSP {}, LUTRAM {}, MUXF {}\n",
                     r.lut, r.ff, c.register_bits, r.carry, r.dsp, r.lutram, r.muxf);
  for (const ArraySram& s : c.srams)
    out << fmt::format("{:<6} SRAM {} B: {}\n", s.name, s.capacity_bytes, sram_shape(s));
  if (c.fpga_ice40_ebr() > 0) {
    out << fmt::format("block RAM   {} SB_RAM40_4K\n", c.fpga_ice40_ebr());
  } else {
    out << fmt::format("block RAM   {} RAMB36E1 (or {} RAMB18E1)\n", c.fpga_bram36(), c.fpga_bram18());
  }
  out << "area, leakage: not applicable on FPGAs\n";
}

void print_text(const array::ArchSpec& arch, const Technology& tech, const ArrayCost& c, std::ostream& out) {
  out << "arch        " << arch.params_text() << "\n";
  out << fmt::format("technology  {}: {}\n", tech.name, tech.description);
  if (tech.kind == TechKind::kFpga) {
    print_fpga_text(c, out);
  } else {
    print_cells_text(arch, c, out);
  }
  if (!c.srams.empty()) out << "sram model  " << c.srams.front().cost.model << "\n";
  out << fmt::format("dram        {:.1f} pJ/byte (Horowitz, ISSCC 2014: 1.3 nJ per 64-bit access)\n",
                     kDramEnergyPerByte_pj);
  out << "conventions PE x rows x cols (never a flattened array); shared units one per row; SRAM sizes are both halves "
         "of the double buffer (2 banks); wires between PEs over the cells (models/cost/README.md)\n";
}

nlohmann::json sram_json(const ArraySram& s) {
  return {{"name", s.name},
          {"capacity_bytes", s.capacity_bytes},
          {"banks", kSramBanks},
          {"word_bits", kSramWordBits},
          {"viable", s.cost.viable},
          {"area_um2", s.cost.area_um2},
          {"leakage_uw", s.cost.leakage_nw / 1000.0},
          {"read_energy_pj", s.cost.read_energy_pj},
          {"write_energy_pj", s.cost.write_energy_pj},
          {"macros", s.cost.macros},
          {"macro_words", s.cost.macro_words},
          {"macro_bits", s.cost.macro_bits},
          {"bram36", s.cost.bram36},
          {"bram18", s.cost.bram18},
          {"ice40_ebr", s.cost.ice40_ebr},
          {"model", s.cost.model},
          {"note", s.cost.note}};
}

void print_json(const array::ArchSpec& arch, const Technology& tech, const ArrayCost& c, std::ostream& out) {
  nlohmann::json units = nlohmann::json::array();
  for (const ArrayPart& u : c.shared_units) {
    units.push_back({{"name", u.name},
                     {"count", u.count},
                     {"area_um2", u.unit.area_um2},
                     {"leakage_uw", u.unit.leakage_nw / 1000.0}});
  }
  nlohmann::json srams = nlohmann::json::array();
  for (const ArraySram& s : c.srams) srams.push_back(sram_json(s));
  nlohmann::json j{{"arch", arch.params_text()},
                   {"tech", tech.name},
                   {"rows", arch.rows},
                   {"cols", arch.cols},
                   {"pe",
                    {{"kind", arch.pe.kind},
                     {"params", arch.pe.params},
                     {"count", c.pe.count},
                     {"area_um2", c.pe.unit.area_um2},
                     {"leakage_uw", c.pe.unit.leakage_nw / 1000.0}}},
                   {"shared_units", units},
                   {"register_bits", c.register_bits},
                   {"flop_cell", c.flop_cell},
                   {"srams", srams},
                   {"dram_energy_pj_per_byte", kDramEnergyPerByte_pj},
                   {"pesim_version", kGitDescribe}};
  if (tech.kind == TechKind::kFpga) {
    const FpgaResources r = c.fpga_logic();
    j.update({{"lut", r.lut},
              {"ff", r.ff},
              {"carry", r.carry},
              {"dsp", r.dsp},
              {"bram36", c.fpga_bram36()},
              {"bram18", c.fpga_bram18()},
              {"ice40_ebr", c.fpga_ice40_ebr()}});
  } else {
    j.update({{"pe_array_um2", c.pe_array_um2()},
              {"shared_units_um2", c.shared_units_um2()},
              {"registers_um2", c.registers_um2()},
              {"srams_um2", c.srams_um2()},
              {"total_um2", c.total_um2()},
              {"total_mm2", c.total_um2() / kUm2PerMm2},
              {"total_leakage_uw", c.total_leakage_nw() / 1000.0}});
  }
  out << j.dump() << "\n";
}

}  // namespace

int run_array_cost(const CostRequest& request, std::ostream& out, std::ostream& err) {
  array::ArchSpec arch;
  const Technology* tech = nullptr;
  try {
    if (!request.pe.empty()) throw std::invalid_argument("give a PE kind or --arch, not both");
    tech = &find_technology(request.tech);
    arch = load_arch(request);
  } catch (const std::exception& e) {  // params::ParamError, unknown technology or architecture
    err << "pesim cost: " << e.what() << "\n";
    return 2;
  }
  try {
    CostCache cache(request.db);
    const ArrayCost cost = array_cost(arch, *tech, cache);
    if (request.format == "json") {
      print_json(arch, *tech, cost, out);
    } else {
      print_text(arch, *tech, cost, out);
    }
  } catch (const std::invalid_argument& e) {
    err << "pesim cost: " << e.what() << "\n";
    return 2;
  } catch (const std::runtime_error& e) {
    err << "pesim cost: " << e.what() << "\n";
    return 1;
  }
  return 0;
}

}  // namespace pesim::cost

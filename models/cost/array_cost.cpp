// SPDX-License-Identifier: Apache-2.0
#include "models/cost/array_cost.h"

#include <fmt/format.h>

#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <mutex>
#include <numeric>
#include <regex>
#include <stdexcept>

#include "models/cost/cost_cache.h"
#include "models/cost/liberty.h"

namespace pesim::cost {

namespace {

// Bits of the array registers around the PEs (array_cost.h states the convention).
int64_t array_register_bits(const array::ArchSpec& arch) {
  const pe::PortWidths w = arch.pe.core->widths();
  const bool is = arch.dataflow == array::Dataflow::InputStationary;
  const bool os = arch.dataflow == array::Dataflow::OutputStationary;
  const int64_t per_pe = w.a_bits + w.b_bits + 1;
  const int64_t streamed_bits = is ? w.b_bits : w.a_bits;
  const int64_t north_bits = os ? w.b_bits : w.acc_bits;
  return arch.rows * arch.cols * per_pe + arch.rows * (arch.rows - 1) / 2 * streamed_bits +
         arch.cols * (arch.cols - 1) / 2 * north_bits;
}

// Bits that cross one PE pitch per MAC: ws and is move the streamed word east and the partial sum south; os keeps the
// partial sum and moves a east and b south.
int hop_bits(const array::ArchSpec& arch) {
  const pe::PortWidths w = arch.pe.core->widths();
  switch (arch.dataflow) {
    case array::Dataflow::OutputStationary:
      return w.a_bits + w.b_bits;
    case array::Dataflow::InputStationary:
      return w.b_bits + w.acc_bits;
    case array::Dataflow::WeightStationary:
      break;
  }
  return w.a_bits + w.acc_bits;
}

// The liberty's flip-flop of least area.
std::pair<std::string, LibertyCell> smallest_flop(const Technology& tech) {
  std::pair<std::string, LibertyCell> best{"", {}};
  best.second.area_um2 = std::numeric_limits<double>::infinity();
  for (const auto& [name, cell] : read_liberty_cells(tech.liberty_path)) {
    if (cell.is_flop && cell.area_um2 > 0 && cell.area_um2 < best.second.area_um2) best = {name, cell};
  }
  if (best.first.empty()) throw std::runtime_error(tech.liberty_path + ": no flip-flop cell");
  return best;
}

std::vector<ArraySram> array_srams(const array::ArchSpec& arch, const Technology& tech) {
  std::vector<ArraySram> srams{{"ifmap", arch.ifmap_sram_bytes, {}},
                               {"filter", arch.filter_sram_bytes, {}},
                               {"ofmap", arch.ofmap_sram_bytes, {}}};
  for (ArraySram& s : srams) s.cost = sram_cost({s.capacity_bytes, kSramWordBits, kSramBanks}, tech);
  return srams;
}

FpgaResources scaled(const FpgaResources& r, int64_t n) {
  return {r.lut * n, r.ff * n, r.carry * n, r.dsp * n, r.bram * n, r.lutram * n, r.muxf * n, r.other * n};
}

void add(FpgaResources& a, const FpgaResources& b) {
  a.lut += b.lut, a.ff += b.ff, a.carry += b.carry, a.dsp += b.dsp, a.bram += b.bram, a.lutram += b.lutram;
  a.muxf += b.muxf, a.other += b.other;
}

// Mean pin capacitance of a liberty's cells (`capacitance : X;`), fF.
double parse_mean_pin_capacitance_ff(const std::string& path) {
  std::ifstream file(path);
  if (!file) throw std::runtime_error(path + ": cannot open liberty file");
  static const std::regex unit_re(R"re(^\s*capacitive_load_unit\s*\(\s*1\s*,\s*(pf|ff)\s*\))re");
  static const std::regex cap_re(R"re(^\s*capacitance\s*:\s*([0-9.eE+-]+)\s*;)re");
  double unit_ff = 1000.0, sum = 0;
  int64_t n = 0;
  std::string line;
  std::smatch m;
  while (std::getline(file, line)) {
    if (std::regex_search(line, m, unit_re)) unit_ff = m[1] == "pf" ? 1000.0 : 1.0;
    if (std::regex_search(line, m, cap_re)) sum += std::stod(m[1]), ++n;
  }
  if (n == 0) throw std::runtime_error(path + ": no pin capacitance");
  return sum / static_cast<double>(n) * unit_ff;
}

// Parsed once per file and process (a DSE asks for it once per design).
double mean_pin_capacitance_ff(const std::string& path) {
  static std::mutex mutex;
  static std::map<std::string, double> parsed;
  const std::lock_guard<std::mutex> lock(mutex);
  auto found = parsed.find(path);
  if (found == parsed.end()) found = parsed.emplace(path, parse_mean_pin_capacitance_ff(path)).first;
  return found->second;
}

}  // namespace

double ArrayCost::pe_array_um2() const { return pe.count * pe.unit.area_um2; }
double ArrayCost::shared_units_um2() const {
  double a = 0;
  for (const ArrayPart& u : shared_units) a += u.count * u.unit.area_um2;
  return a;
}
double ArrayCost::registers_um2() const { return register_bits * flop_area_um2; }
double ArrayCost::srams_um2() const {
  double a = 0;
  for (const ArraySram& s : srams) a += s.cost.area_um2;
  return a;
}
double ArrayCost::logic_um2() const { return pe_array_um2() + shared_units_um2() + registers_um2(); }
double ArrayCost::total_um2() const { return logic_um2() + srams_um2(); }
double ArrayCost::pe_array_leakage_nw() const { return pe.count * pe.unit.leakage_nw; }
double ArrayCost::shared_units_leakage_nw() const {
  double l = 0;
  for (const ArrayPart& u : shared_units) l += u.count * u.unit.leakage_nw;
  return l;
}
double ArrayCost::registers_leakage_nw() const { return register_bits * flop_leakage_nw; }
double ArrayCost::srams_leakage_nw() const {
  double l = 0;
  for (const ArraySram& s : srams) l += s.cost.leakage_nw;
  return l;
}
double ArrayCost::total_leakage_nw() const {
  return pe_array_leakage_nw() + shared_units_leakage_nw() + registers_leakage_nw() + srams_leakage_nw();
}

FpgaResources ArrayCost::fpga_logic() const {
  FpgaResources r = scaled(fpga_resources(pe.unit.cell_counts), pe.count);
  for (const ArrayPart& u : shared_units) add(r, scaled(fpga_resources(u.unit.cell_counts), u.count));
  r.ff += register_bits;
  return r;
}
int64_t ArrayCost::fpga_bram36() const {
  int64_t n = 0;
  for (const ArraySram& s : srams) n += s.cost.bram36;
  return n;
}
int64_t ArrayCost::fpga_bram18() const {
  int64_t n = 0;
  for (const ArraySram& s : srams) n += s.cost.bram18;
  return n;
}
int64_t ArrayCost::fpga_ice40_ebr() const {
  int64_t n = 0;
  for (const ArraySram& s : srams) n += s.cost.ice40_ebr;
  return n;
}

ArrayCost array_cost(const array::ArchSpec& arch, const Technology& tech, const SynthesisResult& pe,
                     const std::vector<SynthesisResult>& units) {
  if (units.size() != arch.pe.shared_units.size()) {
    throw std::invalid_argument(fmt::format("{} shared unit results for {} shared units of {}", units.size(),
                                            arch.pe.shared_units.size(), arch.pe.kind));
  }
  ArrayCost c;
  c.tech = tech.name;
  c.kind = tech.kind;
  c.clock_mhz = static_cast<double>(arch.clock_mhz);
  c.pe = {arch.pe.kind, arch.rows * arch.cols, pe};
  for (size_t i = 0; i < units.size(); ++i)
    c.shared_units.push_back({arch.pe.shared_units[i].name, arch.rows, units[i]});
  c.register_bits = array_register_bits(arch);
  c.hop_bits = hop_bits(arch);
  if (tech.kind != TechKind::kFpga) {
    const auto [name, flop] = smallest_flop(tech);
    c.flop_cell = name;
    c.flop_area_um2 = flop.area_um2;
    c.flop_leakage_nw = flop.leakage_nw;
    c.pe_pitch_um = std::sqrt(pe.area_um2);
  }
  if (tech.kind == TechKind::kCmos) c.vdd_v = supply_voltage_v(tech);
  c.srams = array_srams(arch, tech);
  return c;
}

ArrayCost array_cost(const array::ArchSpec& arch, const Technology& tech, CostCache& cache) {
  bool hit = false;
  const SynthesisResult pe = cached_synthesis(cache, arch.pe, tech, hit);
  std::vector<SynthesisResult> units;
  for (const pe::SharedUnit& unit : arch.pe.shared_units) {
    units.push_back(cached_synthesis(cache, shared_unit_design(arch.pe, unit), tech, hit));
  }
  return array_cost(arch, tech, pe, units);
}

double ArrayEnergy::total_pj() const {
  return pe_pj + shared_units_pj + interconnect_pj + ifmap_sram_pj + filter_sram_pj + ofmap_sram_pj + dram_pj +
         leakage_pj;
}

ArrayEnergy array_energy(const ArrayCost& cost, const AccessCounts& counts, const OperationEnergy& op) {
  if (cost.kind != TechKind::kCmos) {
    throw std::invalid_argument("array energy is modeled for CMOS technologies only, not " + cost.tech);
  }
  const auto per_byte = [&](const std::string& name, bool read) {
    for (const ArraySram& s : cost.srams) {
      if (s.name == name) return (read ? s.cost.read_energy_pj : s.cost.write_energy_pj) / (kSramWordBits / 8.0);
    }
    throw std::logic_error("no SRAM " + name);
  };
  ArrayEnergy e;
  e.pe_pj = counts.pe_operations * op.pe_pj;
  e.shared_units_pj = counts.shared_unit_operations * op.shared_unit_pj;
  e.ifmap_sram_pj =
      counts.ifmap_read_bytes * per_byte("ifmap", true) + counts.ifmap_write_bytes * per_byte("ifmap", false);
  e.filter_sram_pj =
      counts.filter_read_bytes * per_byte("filter", true) + counts.filter_write_bytes * per_byte("filter", false);
  e.ofmap_sram_pj =
      counts.ofmap_read_bytes * per_byte("ofmap", true) + counts.ofmap_write_bytes * per_byte("ofmap", false);
  e.dram_pj = counts.dram_bytes * kDramEnergyPerByte_pj;
  // Each MAC moves its streamed word and its partial sum one PE pitch; half of the wires toggle.
  e.interconnect_pj = counts.macs * cost.hop_bits * 0.5 * kWireCapacitance_ff_per_um * cost.pe_pitch_um * cost.vdd_v *
                      cost.vdd_v * 1e-3;
  const double seconds = cost.clock_mhz > 0 ? counts.cycles / (cost.clock_mhz * 1e6) : 0.0;
  e.leakage_pj = cost.total_leakage_nw() * 1e-9 * seconds * 1e12;
  return e;
}

double fallback_energy_per_op_pj(const SynthesisResult& design, const Technology& tech) {
  if (tech.kind != TechKind::kCmos) {
    throw std::invalid_argument("the fallback energy estimate is for CMOS technologies only, not " + tech.name);
  }
  const double vdd = supply_voltage_v(tech);
  const double c_in_ff = mean_pin_capacitance_ff(tech.liberty_path);
  const double cells = static_cast<double>(std::max<int64_t>(design.cells, 1));
  const double cell_pitch_um = std::sqrt(design.area_um2 / cells);
  const double toggle_ff = kFallbackFanout * c_in_ff + kWireCapacitance_ff_per_um * cell_pitch_um;
  const double logic_ff = kFallbackActivity * static_cast<double>(design.cells - design.flops) * toggle_ff;
  const double clock_ff = static_cast<double>(design.flops) * (c_in_ff + kFallbackActivity * toggle_ff);
  return (logic_ff + clock_ff) * vdd * vdd * 1e-3;
}

pe::PeInstance shared_unit_design(const pe::PeInstance& pe, const pe::SharedUnit& unit) {
  pe::PeInstance design;
  design.kind = pe.kind + "." + unit.name;
  design.params = pe.params;
  design.rtl = unit.rtl;
  return design;
}

}  // namespace pesim::cost

// SPDX-License-Identifier: Apache-2.0
#include "models/cost/sram_model.h"

#include <fmt/format.h>

#include <Eigen/Dense>
#include <algorithm>
#include <array>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <regex>
#include <stdexcept>
#include <vector>

#include "models/cost/liberty.h"
#include "models/cost/sram_macro_data.h"
#include "models/cost/synthesis.h"

namespace pesim::cost {

namespace {

// A CMOS technology's single-port SRAM macros, CACTI-style: a bit-cell array of rows x cols (cols = word bits x
// column mux) with row periphery beside it and column periphery below it, so
//   area = (width0 + width_per_col * cols) x (height0 + height_per_row * rows),
//   energy per access = e_fixed + e_per_bit * word bits + e_per_col_sqrt_row * cols * sqrt(rows)
// (decoder and control; sense amplifiers, write drivers and I/O per data bit; bit lines per column, which the IHP
// macros show growing as sqrt(rows), not rows: limited-swing sensing), leakage per bit.
struct MacroModel {
  double width0_um = 0, width_per_col_um = 0, height0_um = 0, height_per_row_um = 0;
  double e_fixed_pj = 0, e_per_bit_pj = 0, e_per_col_sqrt_row_pj = 0;  // a write-through access, the maximum
  double read_fraction = 0, write_fraction = 0;                        // of the write-through energy
  double leakage_per_bit_nw = 0;
  double vdd_v = 0;
  std::string source;
};

// The shapes the IHP compiler offers (sram_macro_data.h): at most 1024 rows, 128 columns and 64-bit words, column
// mux 2, 4 or 8. Larger memories are built from several macros.
constexpr int kMaxRows = 1024;
constexpr int kMaxCols = 128;
constexpr int kMaxMacroWordBits = 64;
constexpr std::array<int, 3> kColumnMux{2, 4, 8};
constexpr double kWireActivity = 0.5;  // random data: a wire toggles on half of the accesses

// Least-squares coefficients of `columns` (design matrix) for `y`.
Eigen::VectorXd least_squares(const Eigen::MatrixXd& columns, const Eigen::VectorXd& y) {
  return columns.colPivHouseholderQr().solve(y);
}

MacroModel fit_ihp_macros() {
  const auto& macros = ihp_sg13g2_sram_macros();
  const Eigen::Index n = static_cast<Eigen::Index>(macros.size());
  Eigen::MatrixXd width_x(n, 2), height_x(n, 2), energy_x(n, 3);
  Eigen::VectorXd width_y(n), height_y(n), energy_y(n), leak_per_bit(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    const SramMacroDatum& m = macros[static_cast<size_t>(i)];
    const double rows = static_cast<double>(m.words) / m.column_mux;
    const double cols = static_cast<double>(m.bits) * m.column_mux;
    width_x.row(i) << 1.0, cols;
    height_x.row(i) << 1.0, rows;
    energy_x.row(i) << 1.0, m.bits, cols * std::sqrt(rows);
    width_y(i) = m.width_um;
    height_y(i) = m.height_um;
    energy_y(i) = m.write_through_pj;
    leak_per_bit(i) = m.leakage_nw / (static_cast<double>(m.words) * m.bits);
  }
  const Eigen::VectorXd w = least_squares(width_x, width_y);
  const Eigen::VectorXd h = least_squares(height_x, height_y);
  const Eigen::VectorXd e = least_squares(energy_x, energy_y);
  MacroModel model;
  model.width0_um = w(0);
  model.width_per_col_um = w(1);
  model.height0_um = h(0);
  model.height_per_row_um = h(1);
  model.e_fixed_pj = e(0);
  model.e_per_bit_pj = e(1);
  model.e_per_col_sqrt_row_pj = e(2);
  model.leakage_per_bit_nw = leak_per_bit.mean();
  model.read_fraction = kIhpReadFraction;
  model.write_fraction = kIhpWriteFraction;
  model.vdd_v = kIhpMacroVdd_v;
  model.source = "least-squares fit to IHP SG13G2's 12 single-port SRAM macros (typ 1.20 V 25 C datasheets)";
  return model;
}

const MacroModel& ihp_model() {
  static const MacroModel model = fit_ihp_macros();
  return model;
}

double liberty_nom_voltage(const std::string& path) {
  std::ifstream file(path);
  if (!file) throw std::runtime_error(path + ": cannot open liberty file");
  static const std::regex re(R"re(^\s*nom_voltage\s*:\s*([0-9.]+)\s*;)re");
  std::string line;
  std::smatch m;
  while (std::getline(file, line)) {
    if (std::regex_search(line, m, re)) return std::stod(m[1]);
  }
  throw std::runtime_error(path + ": no nom_voltage");
}

// OSU 0.18 um has no SRAM compiler: the IHP 130 nm macros scaled to its node. Lengths scale with the feature size
// s = 180/130, so areas with s^2; switched capacitance with s and energy with s * (V_osu / V_ihp)^2. Bit-cell
// leakage keeps IHP's ratio of bit-cell leakage to a minimum inverter's (the SRAM cell is built for low leakage),
// applied to OSU's INVX1.
MacroModel scaled_osu018_model(const Technology& osu) {
  const MacroModel& ihp = ihp_model();
  const double s = kOsu018Feature_nm / kIhpFeature_nm;
  const double vdd = liberty_nom_voltage(osu.liberty_path);
  const double energy_scale = s * (vdd / ihp.vdd_v) * (vdd / ihp.vdd_v);
  const auto& osu_cells = read_liberty_cells(osu.liberty_path);
  const auto& ihp_cells = read_liberty_cells(find_technology("ihp_sg13g2").liberty_path);
  MacroModel m = ihp;
  m.width0_um *= s;
  m.width_per_col_um *= s;
  m.height0_um *= s;
  m.height_per_row_um *= s;
  m.e_fixed_pj *= energy_scale;
  m.e_per_bit_pj *= energy_scale;
  m.e_per_col_sqrt_row_pj *= energy_scale;
  m.leakage_per_bit_nw *= osu_cells.at("INVX1").leakage_nw / ihp_cells.at("sg13g2_inv_1").leakage_nw;
  m.vdd_v = vdd;
  m.source = fmt::format(
      "IHP SG13G2 macro fit scaled to 180 nm (lengths x{:.3f}, energy x{:.3f} for C*V^2 at {} V), "
      "bit leakage via OSU INVX1 / IHP inv_1",
      s, energy_scale, vdd);
  return m;
}

const MacroModel& cmos_model(const Technology& tech) {
  if (tech.name == "ihp_sg13g2") return ihp_model();
  if (tech.name == "osu018") {
    static const MacroModel model = scaled_osu018_model(tech);
    return model;
  }
  throw std::invalid_argument("technology " + tech.name + " has no SRAM model (known: ihp_sg13g2, osu018)");
}

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

struct MacroShape {
  int words = 0, bits = 0, mux = 2;
  double rows() const { return static_cast<double>(words) / mux; }
  double cols() const { return static_cast<double>(bits) * mux; }
};

double macro_area_um2(const MacroModel& m, const MacroShape& s);

// The column mux of least area among those that keep the macro within kMaxRows and kMaxCols (0 if none does). Each
// option's area grows with the words and the allowed set only shrinks, so the least area grows with the words; the
// chosen mux never decreases, and a larger mux costs more energy, so energy grows too.
int column_mux(const MacroModel& m, int64_t words, int bits) {
  int best = 0;
  double best_area = 0;
  for (int mux : kColumnMux) {
    if (ceil_div(words, mux) > kMaxRows || bits * mux > kMaxCols) continue;
    const double area = macro_area_um2(m, {static_cast<int>(words), bits, mux});
    if (best == 0 || area < best_area) best = mux, best_area = area;
  }
  return best;
}

// The largest macro of `bits` per word the compiler makes.
int max_macro_words(int bits) {
  int words = 0;
  for (int mux : kColumnMux) {
    if (bits * mux <= kMaxCols) words = kMaxRows * mux;
  }
  return words;
}

double macro_area_um2(const MacroModel& m, const MacroShape& s) {
  return (m.width0_um + m.width_per_col_um * s.cols()) * (m.height0_um + m.height_per_row_um * s.rows());
}

double macro_energy_pj(const MacroModel& m, const MacroShape& s) {
  return m.e_fixed_pj + m.e_per_bit_pj * s.bits + m.e_per_col_sqrt_row_pj * s.cols() * std::sqrt(s.rows());
}

void check_request(const SramRequest& r) {
  if (r.capacity_bytes <= 0) {
    throw std::invalid_argument(fmt::format("SRAM capacity {} bytes: must be > 0", r.capacity_bytes));
  }
  if (r.word_bits <= 0 || r.word_bits > 4096) {
    throw std::invalid_argument(fmt::format("SRAM word width {} bits: must be 1..4096", r.word_bits));
  }
  if (r.banks < 1 || r.banks > r.capacity_bytes) {
    throw std::invalid_argument(fmt::format("SRAM banks {}: must be 1..capacity in bytes", r.banks));
  }
}

// One bank: words deep x word_bits wide, as macros of at most the compiler's largest shape (so a bank that needs
// several macros uses full-size ones: its area and energy grow in whole macros, monotonically). One access
// enables one row of macros (wide enough for the word) and crosses the bank on wires to it.
SramCost cmos_bank(const MacroModel& m, int64_t words, int word_bits) {
  const int wide = static_cast<int>(ceil_div(word_bits, kMaxMacroWordBits));
  MacroShape shape;
  shape.bits = static_cast<int>(ceil_div(word_bits, wide));
  const int64_t deep = ceil_div(words, max_macro_words(shape.bits));
  shape.words = deep == 1 ? static_cast<int>(words) : max_macro_words(shape.bits);
  shape.mux = column_mux(m, shape.words, shape.bits);
  SramCost c;
  c.macros = deep * wide;
  c.macro_words = shape.words;
  c.macro_bits = shape.bits;
  c.area_um2 = static_cast<double>(c.macros) * macro_area_um2(m, shape);
  c.leakage_nw = static_cast<double>(c.macros) * shape.words * shape.bits * m.leakage_per_bit_nw;
  if (c.macros > 1) {
    // Data and address wires from the bank's port to the farthest macro: about the side of the bank.
    const double address_bits = std::ceil(std::log2(static_cast<double>(std::max<int64_t>(words, 2))));
    const double wire_cap_ff = kWireCapacitance_ff_per_um * std::sqrt(c.area_um2);
    c.route_energy_pj = (word_bits + address_bits) * kWireActivity * wire_cap_ff * m.vdd_v * m.vdd_v * 1e-3;
  }
  const double access_pj = wide * macro_energy_pj(m, shape);
  c.read_energy_pj = m.read_fraction * access_pj + c.route_energy_pj;
  c.write_energy_pj = m.write_fraction * access_pj + c.route_energy_pj;
  return c;
}

SramCost cmos_sram(const SramRequest& r, const Technology& tech) {
  const MacroModel& m = cmos_model(tech);
  const int64_t words = ceil_div(r.capacity_bytes * 8, r.word_bits);
  const SramCost bank = cmos_bank(m, ceil_div(words, r.banks), r.word_bits);
  SramCost c = bank;
  c.macros = bank.macros * r.banks;
  c.area_um2 = bank.area_um2 * r.banks;
  c.leakage_nw = bank.leakage_nw * r.banks;
  c.model = m.source;
  return c;
}

// Printed EGFET has no SRAM: the register file its cells would make, a DFFNRX1 per bit with a 2:1 load mux
// (3 NAND2X1 + INVX1), a read mux tree of (words - 1) such muxes per bit and an AND2X1 word select per word.
SramCost printed_register_file(const SramRequest& r, const Technology& tech) {
  const int64_t words = ceil_div(r.capacity_bytes * 8, r.word_bits);
  const int64_t bits = words * r.word_bits;
  const int64_t muxes = bits + (words - 1) * r.word_bits;
  const std::map<std::string, int64_t> counts{
      {"DFFNRX1", bits}, {"NAND2X1", 3 * muxes}, {"INVX1", muxes}, {"AND2X1", words}};
  const CellCost cells = cost_cells(counts, read_liberty_cells(tech.liberty_path));
  SramCost c;
  c.viable = false;
  c.area_um2 = cells.area_um2;
  c.leakage_nw = cells.leakage_nw;
  c.model = "flip-flop register file from the EGFET liberty's cells (DFFNRX1, NAND2X1, INVX1, AND2X1)";
  c.note = fmt::format(
      "not viable: printed EGFET has no SRAM; as a register file this memory takes {:.4g} cm2 and {:.4g} mW of "
      "leakage; access energy not modeled (power at printed clocks is ~95% leakage)",
      c.area_um2 * 1e-8, c.leakage_nw * 1e-6);
  return c;
}

struct BlockShape {
  int width_bits;
  int64_t depth;
};

// Fewest blocks of one kind for depth x width, over the block's aspect ratios.
int64_t blocks_needed(const std::vector<BlockShape>& shapes, int64_t depth, int width_bits) {
  int64_t best = std::numeric_limits<int64_t>::max();
  for (const BlockShape& s : shapes)
    best = std::min(best, ceil_div(width_bits, s.width_bits) * ceil_div(depth, s.depth));
  return best;
}

// Xilinx 7-series (UG473, 7 Series FPGAs Memory Resources: RAMB36E1 32K x 1 .. 512 x 72 in simple dual port,
// RAMB18E1 16K x 1 .. 512 x 36) and iCE40 (TN1250, Memory Usage Guide for iCE40 Devices: SB_RAM40_4K 256 x 16 ..
// 2048 x 2) block RAM counts; each bank is its own set of blocks.
SramCost fpga_brams(const SramRequest& r, const Technology& tech) {
  static const std::vector<BlockShape> ramb36{{1, 32768}, {2, 16384}, {4, 8192}, {9, 4096},
                                              {18, 2048}, {36, 1024}, {72, 512}};
  static const std::vector<BlockShape> ramb18{{1, 16384}, {2, 8192}, {4, 4096}, {9, 2048}, {18, 1024}, {36, 512}};
  static const std::vector<BlockShape> ebr{{16, 256}, {8, 512}, {4, 1024}, {2, 2048}};
  const int64_t bank_words = ceil_div(ceil_div(r.capacity_bytes * 8, r.word_bits), r.banks);
  SramCost c;
  if (tech.name == "ice40") {
    c.ice40_ebr = r.banks * blocks_needed(ebr, bank_words, r.word_bits);
    c.model = "iCE40 SB_RAM40_4K (4 Kbit) count, aspect ratios of Lattice TN1250";
  } else {
    c.bram36 = r.banks * blocks_needed(ramb36, bank_words, r.word_bits);
    c.bram18 = r.banks * blocks_needed(ramb18, bank_words, r.word_bits);
    c.model = "Xilinx 7-series RAMB36E1 / RAMB18E1 count, aspect ratios of UG473";
  }
  c.note = "FPGA block RAMs: no area, leakage or access energy (no liberty; not modeled)";
  return c;
}

}  // namespace

SramMacro sram_macro(const Technology& tech, int words, int bits, int column_mux) {
  if (words <= 0 || bits <= 0 || column_mux <= 0) {
    throw std::invalid_argument(fmt::format("SRAM macro {}x{} mux {}: all must be > 0", words, bits, column_mux));
  }
  const MacroModel& m = cmos_model(tech);
  const MacroShape shape{words, bits, column_mux};
  SramMacro macro;
  macro.area_um2 = macro_area_um2(m, shape);
  macro.write_through_pj = macro_energy_pj(m, shape);
  macro.read_pj = m.read_fraction * macro.write_through_pj;
  macro.write_pj = m.write_fraction * macro.write_through_pj;
  macro.leakage_nw = static_cast<double>(words) * bits * m.leakage_per_bit_nw;
  return macro;
}

double supply_voltage_v(const Technology& tech) {
  if (tech.kind != TechKind::kCmos) return 0;
  return cmos_model(tech).vdd_v;
}

SramCost sram_cost(const SramRequest& request, const Technology& tech) {
  check_request(request);
  switch (tech.kind) {
    case TechKind::kCmos:
      return cmos_sram(request, tech);
    case TechKind::kPrinted:
      return printed_register_file(request, tech);
    case TechKind::kFpga:
      return fpga_brams(request, tech);
  }
  throw std::invalid_argument("technology " + tech.name + " has no SRAM model");
}

}  // namespace pesim::cost

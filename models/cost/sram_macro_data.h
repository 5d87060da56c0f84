// SPDX-License-Identifier: Apache-2.0
// Published figures the SRAM model (sram_model.cpp) is fitted to, copied by hand with their sources.
#pragma once
#include <vector>

namespace pesim::cost {

// One single-port SRAM macro of the IHP SG13G2 open PDK (IHP-Open-PDK, Apache-2.0,
// ihp-sg13g2/libs.ref/sg13g2_sram/doc/RM_IHPSG13_1P_<words>x<bits>_c<k>[_bm_bist].txt), typical corner 1.20 V, 25 C:
// the datasheet's layout width and height, "Leakage Power" and "Total Typical Power" (pJ per access, the clock pin's
// largest internal energy: a write-through, read and write at once).
struct SramMacroDatum {
  int words = 0, bits = 0;
  int column_mux = 0;  // c2 = 2, c3 = 4 (the datasheets' bit-cell organization: 4096x8_c3 is 32 columns wide)
  double width_um = 0, height_um = 0;
  double leakage_nw = 0;
  double write_through_pj = 0;
};

inline const std::vector<SramMacroDatum>& ihp_sg13g2_sram_macros() {
  static const std::vector<SramMacroDatum> macros{
      {64, 16, 2, 236.80, 64.36, 12.38, 15.95},    {64, 64, 2, 784.48, 64.36, 49.50, 56.80},
      {256, 48, 2, 596.48, 118.78, 148.5, 55.14},  {256, 64, 2, 784.48, 118.78, 198.0, 72.56},
      {512, 32, 2, 416.64, 191.34, 198.0, 47.61},  {512, 64, 2, 784.48, 191.34, 396.0, 91.42},
      {1024, 8, 2, 146.88, 336.46, 99.01, 19.70},  {1024, 16, 2, 236.80, 336.46, 198.0, 33.76},
      {1024, 64, 2, 784.48, 336.46, 792.1, 118.1}, {2048, 64, 2, 784.48, 626.70, 1584.0, 156.4},
      {4096, 8, 4, 236.80, 618.30, 396.0, 41.10},  {4096, 16, 4, 416.64, 618.30, 792.1, 73.17},
  };
  return macros;
}

// Read and write energy as fractions of the write-through energy, from the macros' liberty files
// (lib/RM_IHPSG13_1P_*_typ_1p20V_25C.lib, pin A_CLK internal_power by `when`): 1024x64 read 91.8272 pJ, write
// 110.9189 pJ, write-through 118.1095 pJ; 4096x16 read 58.6440 pJ of 73.17 pJ. Read: the mean of 0.7775 and 0.8015;
// write: 1024x64's.
constexpr double kIhpReadFraction = (91.8272 / 118.1095 + 58.6440 / 73.17) / 2.0;
constexpr double kIhpWriteFraction = 110.9189 / 118.1095;
constexpr double kIhpMacroVdd_v = 1.20;  // the macros' typical corner, also the standard cells' nom_voltage

// Drawn feature sizes of the two CMOS technologies (their names: SG13G2 is IHP's 130 nm process; OSU's cells are
// for 0.18 um), for scaling the IHP macros to OSU 0.18 um.
constexpr double kIhpFeature_nm = 130.0;
constexpr double kOsu018Feature_nm = 180.0;

}  // namespace pesim::cost

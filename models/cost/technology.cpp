// SPDX-License-Identifier: Apache-2.0
#include "models/cost/technology.h"

#include <filesystem>
#include <stdexcept>

#include "pesim/version.h"

namespace pesim::cost {

namespace {

// -noshare: Yosys 0.23's SAT-based resource sharing ran out of 24 GB on fma_fp's flattened datapath.
constexpr const char* kCmosCommands =
    "synth -flatten -noshare -top {top}\n"
    "dfflibmap -liberty {lib}\n"
    "abc -liberty {lib} -D 2000 -script +strash;ifraig;scorr;dc2;dretime;strash;&get,-n;&dch,-f;&nf,{D};&put;"
    "buffer;upsize,{D};dnsize,{D};stime,-p\n"
    "opt_clean\n"
    "stat -liberty {lib}\n";

// Yosys's default `abc -liberty` script (the "nf" flow that yosys_vs_dc.csv calibrates), except that `&fraig -x`
// is bounded to 1000 conflicts: unbounded, it hung for over 10 minutes on a printed MLP. No -D, buffering or sizing:
// the EGFET library has one drive strength and its BUFX1 is a pseudo cell. `stime` without -p: ABC 0.23's path
// printer crashes on some near-constant circuits (an approximate printed MLP that reduces to a few gates), and the
// delay line is the same.
constexpr const char* kPrintedCommands =
    "synth -flatten -noshare -top {top}\n"
    "dfflibmap -liberty {lib}\n"
    "abc -liberty {lib} -script +strash;&get,-n;&fraig,-x,-C,1000;&put;scorr;dc2;dretime;strash;&get,-n;&dch,-f;"
    "&nf;&put;stime\n"
    "opt_clean\n"
    "stat -liberty {lib}\n";

// synth_xilinx in parts around two of its steps, repeated here with one change each: coarse without `share`
// (SAT-based resource sharing, which does not finish on fma_fp; synth_xilinx has no -noshare) and map_luts with
// `&fraig -x` bounded in ABC's LUT script. No I/O or clock buffers: a PE is not a chip's top.
constexpr const char* kXilinxCommands =
    "synth_xilinx -flatten -noiopad -noclkbuf -top {top} -run :coarse\n"
    "techmap -map +/cmp2lut.v -map +/cmp2lcu.v -D LUT_WIDTH=6\n"
    "alumacc\n"
    "opt\n"
    "memory -nomap\n"
    "opt_clean\n"
    "synth_xilinx -flatten -noiopad -noclkbuf -top {top} -run map_memory:map_luts\n"
    "opt_expr -mux_undef -noclkinv\n"
    "abc -luts 2:2,3,6:5,10,20 -script +strash;&get,-n;&fraig,-x,-C,1000;&put;scorr;dc2;dretime;strash;dch,-f;if;"
    "mfs2\n"
    "clean\n"
    "techmap -map +/xilinx/ff_map.v\n"
    "xilinx_srl -fixed -minlen 3\n"
    "techmap -map +/xilinx/lut_map.v -map +/xilinx/cells_map.v -D LUT_WIDTH=6\n"
    "xilinx_dffopt\n"
    "opt_lut_ins -tech xilinx\n"
    "synth_xilinx -flatten -noiopad -noclkbuf -top {top} -run finalize:\n"
    "stat\n";

// synth_ice40 likewise: coarse without `share`, map_luts with a bounded `&fraig -x`.
constexpr const char* kIce40Commands =
    "synth_ice40 -dsp -top {top} -run :coarse\n"
    "opt_expr\nopt_clean\ncheck\nopt -nodffe -nosdff\nfsm\nopt\nwreduce\npeepopt\nopt_clean\n"
    "techmap -map +/cmp2lut.v -D LUT_WIDTH=4\n"
    "opt_expr\nopt_clean\nmemory_dff\nwreduce t:$mul\n"
    "techmap -map +/mul2dsp.v -map +/ice40/dsp_map.v -D DSP_A_MAXWIDTH=16 -D DSP_B_MAXWIDTH=16 -D DSP_A_MINWIDTH=2 "
    "-D DSP_B_MINWIDTH=2 -D DSP_Y_MINWIDTH=11 -D DSP_NAME=$__MUL16X16\n"
    "select a:mul2dsp\nsetattr -unset mul2dsp\nopt_expr -fine\nwreduce\nselect -clear\nice40_dsp\n"
    "chtype -set $mul t:$__soft_mul\n"
    "alumacc\nopt\nmemory -nomap\nopt_clean\n"
    "synth_ice40 -dsp -top {top} -run map_ram:map_luts\n"
    "techmap -map +/ice40/latches_map.v\n"
    "abc -dress -lut 4 -script +strash;&get,-n;&fraig,-x,-C,1000;&put;scorr;dc2;dretime;strash;dch,-f;if;mfs2\n"
    "ice40_wrapcarry -unwrap\n"
    "techmap -map +/ice40/ff_map.v\n"
    "clean\n"
    "opt_lut -dlogic SB_CARRY:I0=1:I1=2:CI=3 -dlogic SB_CARRY:CO=3\n"
    "synth_ice40 -dsp -top {top} -run map_cells:\n"
    "stat\n";

Technology ihp_sg13g2() {
  Technology t;
  t.name = "ihp_sg13g2";
  t.description = "IHP SG13G2 130 nm CMOS standard cells, typical corner, 1.20 V, 25 C";
  t.kind = TechKind::kCmos;
  t.liberty_path = pesim::source_path("models/cost/tech/cmos/sg13g2_stdcell_typ_1p20V_25C.lib");
  t.flow =
      "yosys: synth -flatten -noshare; dfflibmap -liberty; abc -liberty -D 2000 (&nf mapping, buffer/upsize/dnsize, "
      "stime); stat -liberty";
  t.yosys_commands = kCmosCommands;
  return t;
}

// Debian's qflow-tech-osu018 (GPL, so not vendored here): installed by that package, or extracted by
// scripts/install_deps.sh without the rest of qflow. The first that exists; else the install location, so that the
// error names the file to install.
std::string osu018_liberty() {
  const std::string candidates[] = {"/usr/share/qflow/tech/osu018/osu018_stdcells.lib",
                                    "/usr/local/share/qflow/tech/osu018/osu018_stdcells.lib"};
  for (const std::string& path : candidates) {
    if (std::filesystem::exists(path)) return path;
  }
  return candidates[1];
}

Technology osu018() {
  Technology t;
  t.name = "osu018";
  t.description = "OSU 0.18 um CMOS standard cells (Debian qflow-tech-osu018, 32 cells), typical, 1.8 V, 25 C";
  t.kind = TechKind::kCmos;
  t.liberty_path = osu018_liberty();
  t.flow =
      "yosys: synth -flatten -noshare; dfflibmap -liberty; abc -liberty -D 2000 (&nf mapping, buffer/upsize/dnsize, "
      "stime); stat -liberty";
  t.yosys_commands = kCmosCommands;
  return t;
}

Technology egfet() {
  Technology t;
  t.name = "egfet";
  t.description = "printed EGFET (electrolyte-gated FET) standard cells, 1.0 V, 25 C, clocked at ~5 Hz";
  t.kind = TechKind::kPrinted;
  t.liberty_path = pesim::source_path("models/cost/tech/egfet/egfet_cells.lib");
  t.flow =
      "yosys &nf: synth -flatten -noshare; dfflibmap -liberty; abc -liberty (Yosys's default &nf script, &fraig -x "
      "bounded to 1000 conflicts; stime); stat -liberty";
  t.yosys_commands = kPrintedCommands;
  t.calibration = FlowCalibration{1.29, 0.21, 10,
                                  "Synopsys Design Compiler S-2021.06-SP2 on the same RTL, 10 distinct ESL'24 printed "
                                  "MLPs",
                                  "models/cost/tech/egfet/yosys_vs_dc.csv, flow nf"};
  // PrimeTime PX at 5 Hz on the 12 published designs: total / leakage = 1.034 .. 1.068, mean 1.054 (internal
  // power 3.3-6.3 %, net switching <= 0.04 %).
  t.power_per_leakage = 1.05;
  t.reference_designs_path = pesim::source_path("models/cost/tech/egfet/egfet_design_reports.json");
  return t;
}

Technology xilinx() {
  Technology t;
  t.name = "xilinx";
  t.description = "AMD/Xilinx 7-series FPGA (LUT6, FDRE, CARRY4, DSP48E1, RAMB18/36)";
  t.kind = TechKind::kFpga;
  t.flow = "yosys: synth_xilinx -flatten -noiopad -noclkbuf (xc7; ABC LUT mapping with &fraig -x bounded); stat";
  t.yosys_commands = kXilinxCommands;
  return t;
}

Technology ice40() {
  Technology t;
  t.name = "ice40";
  t.description = "Lattice iCE40 UltraPlus FPGA (SB_LUT4, SB_DFF*, SB_CARRY, SB_MAC16, SB_RAM40_4K)";
  t.kind = TechKind::kFpga;
  t.flow = "yosys: synth_ice40 -dsp (flattened; ABC LUT4 mapping with &fraig -x bounded); stat";
  t.yosys_commands = kIce40Commands;
  return t;
}

}  // namespace

const std::vector<Technology>& technologies() {
  static const std::vector<Technology> techs{ihp_sg13g2(), egfet(), xilinx(), ice40(), osu018()};
  return techs;
}

std::string technology_names() {
  std::string names;
  for (const Technology& t : technologies()) names += (names.empty() ? "" : ", ") + t.name;
  return names;
}

const Technology& find_technology(const std::string& name) {
  for (const Technology& t : technologies()) {
    if (t.name == name) return t;
  }
  throw std::invalid_argument("unknown technology '" + name + "' (known: " + technology_names() + ")");
}

}  // namespace pesim::cost

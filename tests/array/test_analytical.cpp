// SPDX-License-Identifier: Apache-2.0
// SCALE-Sim topology files, architecture settings, and the analytical engine's counts against SCALE-Sim v2's own
// reports (COMPUTE_REPORT rows that ship with scale-sim-v2's tests: test/golden_trace and test/general).
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "models/array/arch.h"
#include "sim/analytical/analytical_engine.h"
#include "workloads/topology/topology.h"

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using pesim::analytical::Convention;
using pesim::workloads::LayerSpec;
using pesim::workloads::OutputSizeRule;

namespace {

std::string write_file(const std::string& name, const std::string& text) {
  const fs::path path = fs::temp_directory_path() / ("pesim_test_" + name);
  std::ofstream(path) << text;
  return path.string();
}

pesim::array::ArchSpec arch(const std::string& text) {
  pesim::params::Settings settings;
  pesim::params::parse_assignments(text, "test", settings);
  return pesim::array::make_arch(settings);
}

LayerSpec gemm(int64_t m, int64_t n, int64_t k) {
  LayerSpec layer;
  layer.name = "gemm";
  layer.is_gemm = true;
  layer.m = m;
  layer.n = n;
  layer.k = k;
  return layer;
}

}  // namespace

TEST_CASE("SCALE-Sim topology: conv and GEMM rows, trailing commas, horizontal stride, depthwise split", "[topology]") {
  const std::string path = write_file("topo.csv",
                                      "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, "
                                      "Num Filter, Strides,\n"
                                      "Conv1, 224, 224, 11, 11, 3, 96, 4,\n"
                                      "\n"
                                      "Conv2, 31, 31, 5, 5, 96, 256, 1, 2,\n"
                                      "FC, 64, 1000, 4096,\n"
                                      "Conv_DP, 10, 10, 3, 3, 2, 2, 1,\n");
  const auto layers = pesim::workloads::read_scalesim_topology(path);
  REQUIRE(layers.size() == 4);
  CHECK(layers[0].conv.stride_w == 4);
  CHECK(layers[1].conv.stride_h == 1);
  CHECK(layers[1].conv.stride_w == 2);
  CHECK(layers[2].is_gemm);
  CHECK(layers[3].repeat == 2);  // depthwise: one single-channel layer per channel
  CHECK(layers[3].conv.channels == 1);
  CHECK(layers[1].origin == path + ":4");
  // AlexNet conv1: SCALE-Sim counts ceil((224 - 11 + 4) / 4) = 55 output rows, the usual rule floor(213 / 4) + 1 = 54.
  CHECK(pesim::workloads::gemm_dims(layers[0], OutputSizeRule::ScaleSim).m == 55 * 55);
  CHECK(pesim::workloads::gemm_dims(layers[0], OutputSizeRule::Floor).m == 54 * 54);
  CHECK(pesim::workloads::gemm_dims(layers[0], OutputSizeRule::Floor).k == 11 * 11 * 3);
  const auto fc = pesim::workloads::gemm_dims(layers[2], OutputSizeRule::Floor);
  CHECK((fc.m == 64 && fc.n == 1000 && fc.k == 4096));
}

TEST_CASE("SCALE-Sim topology: malformed rows name the file, line and field", "[topology]") {
  using pesim::workloads::read_scalesim_topology;
  const std::string header = "Layer name, H, W, Fh, Fw, C, N, S,\n";
  CHECK_THROWS_WITH(read_scalesim_topology(write_file("t1.csv", header + "L1, 8, 8, 3, 3, 4, 16,\n")),
                    Contains("t1.csv:2: 7 fields"));
  CHECK_THROWS_WITH(read_scalesim_topology(write_file("t2.csv", header + "L1, 8, 8, 3, 3, x, 16, 1,\n")),
                    Contains("t2.csv:2: field 6 (Channels): 'x' is not a positive integer"));
  CHECK_THROWS_WITH(read_scalesim_topology(write_file("t3.csv", header + "L1, 8, 8, 3, 3, 0, 16, 1,\n")),
                    Contains("field 6 (Channels): '0'"));
  CHECK_THROWS_WITH(read_scalesim_topology(write_file("t4.csv", header + "L1, 2, 8, 3, 3, 4, 16, 1,\n")),
                    Contains("t4.csv:2: field 4: the filter (3x3) is larger than the input (2x8)"));
  CHECK_THROWS_WITH(read_scalesim_topology(write_file("t5.csv", header)), Contains("no layers"));
  CHECK_THROWS_WITH(read_scalesim_topology(write_file("t6.csv", header + "L1, 99999999999, 8, 3, 3, 4, 16, 1,\n")),
                    Contains("t6.csv:2: field 2 (IFMAP Height)"));
  // No header: a first line with a number in field 2 is a layer, and a bad one is reported, not skipped.
  CHECK_THROWS_WITH(read_scalesim_topology(write_file("t7.csv", "L1, 0, 8, 3, 3, 4, 16, 1,\n")),
                    Contains("t7.csv:1: field 2"));
  CHECK_THROWS_WITH(read_scalesim_topology("/nonexistent/topo.csv"), Contains("cannot open"));
}

TEST_CASE("compat scalesim reproduces SCALE-Sim v2's reported cycles and utilization", "[analytical]") {
  // test/golden_trace: AlexNet conv1 on 32x32 WS (CALC bandwidth, no stalls): 112283 cycles, 91.68309650614964%.
  LayerSpec conv1;
  conv1.name = "Conv1";
  conv1.conv = {224, 224, 11, 11, 3, 96, 4, 4};
  const auto ws = arch("rows=32,cols=32,dataflow=ws");
  const auto r = pesim::analytical::analyze_layer(ws, conv1, Convention::ScaleSim);
  CHECK(r.total_cycles() == 112283);
  CHECK(100 * r.utilization == Approx(91.68309650614964).epsilon(1e-13));
  CHECK(100 * r.mapping_efficiency == Approx(94.53125).epsilon(1e-13));
  // test/general golden traces, GEMM M=256 N=128 K=256 on 32x32: Total - Stall Cycles per dataflow.
  CHECK(pesim::analytical::analyze_layer(ws, gemm(256, 128, 256), Convention::ScaleSim).compute_cycles == 11199);
  CHECK(
      pesim::analytical::analyze_layer(arch("dataflow=os"), gemm(256, 128, 256), Convention::ScaleSim).compute_cycles ==
      10175);
  CHECK(
      pesim::analytical::analyze_layer(arch("dataflow=is"), gemm(256, 128, 256), Convention::ScaleSim).compute_cycles ==
      14207);
}

TEST_CASE("pesim's own counts follow the PE's timing", "[analytical]") {
  const LayerSpec layer = gemm(100, 64, 64);
  const auto plain = pesim::analytical::analyze_layer(arch("rows=32,cols=32"), layer, Convention::Pesim);
  // ws: 2 x 2 folds of R + R L + C + M - 2 = 32 + 32 + 32 + 100 - 2 cycles.
  CHECK(plain.compute_cycles == 4 * 194);
  // N = 40: the second column fold uses 8 columns and ends 24 cycles earlier.
  const auto partial = pesim::analytical::analyze_layer(arch("rows=32,cols=32"), gemm(100, 40, 64), Convention::Pesim);
  CHECK(partial.compute_cycles == 2 * (194 + 170));
  const auto serial = pesim::analytical::analyze_layer(
      arch("rows=32,cols=32,pe=mixpe,pe.datapath=serial,pe.group_size=32"), layer, Convention::Pesim);
  // K' = ceil(64 x 33 / 32) = 66 operations (a DEQUANT per group of 32): 3 row folds x 2 column folds; streamed rows
  // enter 4 cycles apart (4 weight bits, serially); latency 4.
  CHECK(serial.compute_cycles == 6 * (32 + 32 * 4 + 32 + 99 * 4 - 1));
  // Two 8x4 products per operation: K = 64 packs into 32 operations, one row fold instead of two.
  const auto bitfusion =
      pesim::analytical::analyze_layer(arch("rows=32,cols=32,pe=bitfusion"), layer, Convention::Pesim);
  CHECK(bitfusion.compute_cycles == 2 * 194);
  // os with a 3-stage PE: each in-place step waits 3 cycles.
  const auto os = pesim::analytical::analyze_layer(arch("rows=32,cols=32,dataflow=os,pe.stages=3"), gemm(32, 32, 10),
                                                   Convention::Pesim);
  CHECK(os.compute_cycles == 9 * 3 + 32 + 32 - 2 + 3);
}

TEST_CASE("architectures: presets, unknown keys and SCALE-Sim .cfg files", "[arch]") {
  CHECK(pesim::array::make_arch(pesim::array::preset_settings("mixpe-w4a8")).rows == 64);
  CHECK_THROWS_WITH(pesim::array::preset_settings("mixpe-w4a9"), Contains("did you mean 'mixpe-w4a8'"));
  CHECK_THROWS_WITH(arch("rwos=4"), Contains("rwos"));
  CHECK_THROWS_WITH(arch("pe=mixpe,pe.act=int4"), Contains("act"));
  const std::string cfg = write_file("scale.cfg",
                                     "[general]\nrun_name = test\n[architecture_presets]\nArrayHeight : 16\n"
                                     "ArrayWidth : 8\nIfmapSramSzkB : 64\nFilterSramSzkB : 32\nOfmapSramSzkB : 16\n"
                                     "IfmapOffset : 0\nDataflow : os\nBandwidth : 10\n");
  const auto from_cfg = pesim::array::make_arch(pesim::array::read_arch_file(cfg));
  CHECK((from_cfg.rows == 16 && from_cfg.cols == 8 && from_cfg.ifmap_sram_bytes == 65536));
  CHECK(from_cfg.dataflow == pesim::array::Dataflow::OutputStationary);
  const std::string bad = write_file("bad.cfg", "[architecture_presets]\nArrayHeigth : 16\n");
  CHECK_THROWS_WITH(pesim::array::read_arch_file(bad), Contains("bad.cfg:2: unknown SCALE-Sim key 'ArrayHeigth'"));
  const std::string yaml = write_file("arch.yaml", "rows: 8\ncols: 4\npe: mixpe\npe_params:\n  act: fp16\n");
  const auto from_yaml = pesim::array::make_arch(pesim::array::read_arch_file(yaml));
  CHECK(from_yaml.pe.params.at("act") == "fp16");
  const std::string bad_yaml = write_file("bad.yaml", "rows: 8\ncolz: 4\n");
  CHECK_THROWS_WITH(pesim::array::make_arch(pesim::array::read_arch_file(bad_yaml)), Contains("bad.yaml:2"));
}

// SPDX-License-Identifier: Apache-2.0
// SCALE-Sim topology CSV (pesim sim --workload FILE.csv), and the GEMM shapes pesim derives from its layers.
#include "models/params/param.h"
#include "tests/fuzz/fuzz_support.h"
#include "workloads/topology/topology.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    for (const auto& layer : pesim::workloads::read_scalesim_topology(pesim::fuzz::input_file(data, size, ".csv"))) {
      pesim::workloads::gemm_dims(layer, pesim::workloads::OutputSizeRule::Floor);
      pesim::workloads::gemm_dims(layer, pesim::workloads::OutputSizeRule::ScaleSim);
    }
  } catch (const pesim::workloads::TopologyError&) {
  } catch (const pesim::params::ParamError&) {  // the input file reader's refusals
  }
  return 0;
}

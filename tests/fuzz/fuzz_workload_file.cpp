// SPDX-License-Identifier: Apache-2.0
// Workload YAML and JSON (pesim sim --workload FILE.yaml/.json): the operator graph and its schedule.
#include "tests/fuzz/fuzz_support.h"
#include "workloads/graph/operator_graph.h"
#include "workloads/graph/workload_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    const bool json = size > 0 && data[0] == '{';  // as a user's file would be named
    const pesim::workloads::OperatorGraph graph =
        pesim::workloads::read_workload_file(pesim::fuzz::input_file(data, size, json ? ".json" : ".yaml"));
    graph.schedule();
  } catch (const pesim::workloads::WorkloadError&) {
  } catch (const pesim::workloads::GraphError&) {
  }
  return 0;
}

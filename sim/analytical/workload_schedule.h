// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "workloads/graph/operator_graph.h"
#include "workloads/topology/topology.h"

namespace pesim::analytical {

// The workload `pesim sim --workload` names: a SCALE-Sim topology .csv, a pesim workload .yaml/.json, a zoo model
// MODEL:PHASE (one transformer block's operator graph; batch and sequence_length apply) or a built-in CNN. Throws
// params::ParamError for an unknown name, the readers' errors (file:line:field) for a bad file.
workloads::OperatorGraph load_workload(const std::string& workload, int64_t batch, int64_t sequence_length);

// The workload's ops in schedule order, split by the unit that runs them; `order` interleaves them again.
struct Schedule {
  struct Step {
    bool on_vector_unit;
    size_t index;  // into layers or vector_ops
  };
  std::vector<workloads::LayerSpec> layers;
  std::vector<workloads::VectorOp> vector_ops;
  std::vector<Step> order;
};

Schedule split_schedule(const workloads::OperatorGraph& graph);

}  // namespace pesim::analytical

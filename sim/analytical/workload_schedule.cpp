// SPDX-License-Identifier: Apache-2.0
#include "sim/analytical/workload_schedule.h"

#include "models/params/param.h"
#include "workloads/graph/transformer_graph.h"
#include "workloads/graph/workload_file.h"
#include "workloads/zoo/cnn_zoo.h"
#include "workloads/zoo/model_zoo.h"

namespace pesim::analytical {

namespace {

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// A zoo model's transformer block (MODEL:PHASE; its operator graph, every op repeated once per block), or a built-in
// CNN's layers in a chain.
workloads::OperatorGraph zoo_workload(const std::string& workload, int64_t batch, int64_t sequence_length) {
  const size_t colon = workload.find(':');
  if (colon == std::string::npos) {
    try {
      return workloads::chain_graph(workloads::cnn_layers(workload, batch));
    } catch (const std::invalid_argument& e) {
      throw params::ParamError("--workload '" + workload + "': " + e.what() +
                               "; or a topology .csv, a workload .yaml/.json, or a zoo model MODEL:PHASE (pesim "
                               "list zoo)");
    }
  }
  workloads::Phase phase{};
  if (!workloads::parse_phase(workload.substr(colon + 1), phase)) {
    throw params::ParamError("--workload '" + workload +
                             "': a SCALE-Sim topology .csv, a workload .yaml/.json or a zoo model MODEL:PHASE (pesim "
                             "list zoo), PHASE prefill or decode");
  }
  try {
    const auto& model = workloads::find_model(workload.substr(0, colon));
    return workloads::transformer_graph(model, phase, batch, sequence_length);
  } catch (const std::invalid_argument& e) {
    throw params::ParamError("--workload '" + workload + "': " + e.what());
  }
}

}  // namespace

workloads::OperatorGraph load_workload(const std::string& workload, int64_t batch, int64_t sequence_length) {
  if (ends_with(workload, ".csv")) return workloads::chain_graph(workloads::read_scalesim_topology(workload));
  if (ends_with(workload, ".yaml") || ends_with(workload, ".yml") || ends_with(workload, ".json")) {
    return workloads::read_workload_file(workload);
  }
  return zoo_workload(workload, batch, sequence_length);
}

Schedule split_schedule(const workloads::OperatorGraph& graph) {
  Schedule s;
  for (size_t v : graph.schedule()) {
    const workloads::OpNode& node = graph.op(v);
    if (const auto* op = std::get_if<workloads::VectorOp>(&node)) {
      s.order.push_back({true, s.vector_ops.size()});
      s.vector_ops.push_back(*op);
    } else {
      s.order.push_back({false, s.layers.size()});
      s.layers.push_back(std::get<workloads::LayerSpec>(node));
    }
  }
  return s;
}

}  // namespace pesim::analytical

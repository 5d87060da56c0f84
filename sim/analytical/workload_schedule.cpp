// SPDX-License-Identifier: Apache-2.0
#include "sim/analytical/workload_schedule.h"

#include <fmt/format.h>

#include <algorithm>

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
  // The graph builder multiplies tokens, sequence and widths in 64 bits: bound them before it runs (UBSan found
  // batch 2^20 x seq 2^24 overflowing there, before check_workload_size could refuse the result).
  if (static_cast<__int128>(batch) * sequence_length > (int64_t{1} << 24) || sequence_length > (int64_t{1} << 16)) {
    throw params::ParamError(
        fmt::format("--workload '{}': --batch {} x --seq {} is over 2^24 tokens or --seq over 2^16", workload, batch,
                    sequence_length));
  }
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

using Wide = unsigned __int128;

// An upper bound on the cycles and bytes any engine counts for one run of the layer, on any array pesim takes
// (rows and cols up to 4096, up to 64 pipeline stages, elements up to 8 bytes): 8 x (its MACs plus every fold's fill
// and drain). A fold of an R x C array holds up to R x C of the Sr x Sc spatial pairs (each pair of M, N, K bounds
// them for one dataflow) and fills and drains in R + C + 64 R cycles; over the ceil(Sr/R) ceil(Sc/C) folds that is at
// most 66 Sr Sc + 2^13 (Sr + Sc) + 2^19.
Wide layer_work_bound(const workloads::LayerSpec& layer) {
  Wide m = 0, n = 0, k = 0;
  if (layer.is_gemm) {
    m = static_cast<Wide>(layer.m), n = static_cast<Wide>(layer.n), k = static_cast<Wide>(layer.k);
  } else {
    const workloads::ConvShape& c = layer.conv;
    const auto out = [](int64_t in, int64_t filter, int64_t stride) {
      return in < filter ? Wide{1} : static_cast<Wide>((in - filter) / std::max<int64_t>(stride, 1) + 2);
    };
    m = out(c.ifmap_h, c.filter_h, c.stride_h) * out(c.ifmap_w, c.filter_w, c.stride_w);
    n = static_cast<Wide>(c.filters);
    k = static_cast<Wide>(c.filter_h) * static_cast<Wide>(c.filter_w) * static_cast<Wide>(c.channels);
  }
  return 8 * (m * n * k + 66 * (m * n + n * k + m * k) + (Wide{1} << 13) * 2 * (m + n + k) + (Wide{1} << 19));
}

// Refuses a workload whose cycle or byte counts could overflow 64 bits (a GEMM of 2^24 per dimension gave 0 MACs and
// negative traffic; large repeats wrapped): each op's bound times its repeat, summed over the workload, must stay
// under kMaxWorkloadWork. Dimensions and repeats are each at most 2^24 or so, so the bounds fit in 128 bits.
void check_workload_size(const workloads::OperatorGraph& graph) {
  constexpr Wide kMaxWorkloadWork = Wide{1} << 60;
  constexpr int kMaxVectorPasses = 4;
  Wide total = 0;
  for (size_t v = 0; v < graph.size(); ++v) {
    const workloads::OpNode& node = graph.op(v);
    Wide work = 0, repeat = 0;
    if (const auto* op = std::get_if<workloads::VectorOp>(&node)) {
      work = Wide{8} * kMaxVectorPasses * 2 * static_cast<Wide>(op->elements) + 4096;
      repeat = static_cast<Wide>(op->repeat);
    } else {
      const auto& layer = std::get<workloads::LayerSpec>(node);
      work = layer_work_bound(layer);
      repeat = static_cast<Wide>(layer.repeat);
    }
    total += std::min(work * repeat, kMaxWorkloadWork);
    if (total >= kMaxWorkloadWork) {
      throw params::ParamError(fmt::format(
          "{}: op {} (with every op before it) is too large to count: its cycles and bytes, repeats included, could "
          "exceed 2^60, and pesim counts them in 64 bits; make the dimensions, batch, sequence or repeats smaller",
          workloads::op_origin(node), workloads::op_name(node)));
    }
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
  check_workload_size(graph);
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

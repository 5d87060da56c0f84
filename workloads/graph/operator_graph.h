// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <boost/graph/adjacency_list.hpp>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

#include "workloads/topology/topology.h"

namespace pesim::workloads {

// The operations that run on the vector unit beside the array (a transformer block's non-GEMM work).
enum class VectorKind : uint8_t { Add, Mul, Relu, Silu, Gelu, Rope, RmsNorm, LayerNorm, Softmax };

struct VectorKindInfo {
  VectorKind kind;
  const char* name;       // as in workload files: "add", "rmsnorm", ...
  int64_t input_tensors;  // tensors of `elements` elements read per pass (add, mul: two; the rest: one)
  const char* help;
};
const std::vector<VectorKindInfo>& vector_kinds();
const VectorKindInfo& vector_kind_info(VectorKind kind);
bool parse_vector_kind(const std::string& name, VectorKind& out);

// One vector-unit operation: `elements` output elements per run, run `repeat` times per pass of the workload.
struct VectorOp {
  std::string name;
  std::string origin;  // "FILE:LINE" or "zoo MODEL:PHASE"
  VectorKind kind = VectorKind::Add;
  int64_t elements = 0;
  int64_t repeat = 1;
};

// A node of the graph: a layer on the systolic array (GEMM or convolution) or a vector-unit operation.
using OpNode = std::variant<LayerSpec, VectorOp>;
const std::string& op_name(const OpNode& node);
const std::string& op_origin(const OpNode& node);
bool on_vector_unit(const OpNode& node);

class GraphError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A workload as a DAG on Boost.Graph: vertices are operations, an edge producer -> consumer is a data dependency.
// Operations run one at a time in schedule() order; the graph itself neither names nor deduplicates operations
// (readers resolve names to vertex indices), so SCALE-Sim files with repeated layer names still load.
class OperatorGraph {
 public:
  size_t add_op(OpNode node);  // the new vertex's index
  // `consumer` reads what `producer` writes. Throws std::out_of_range for an index not returned by add_op.
  void add_dependency(size_t producer, size_t consumer);

  size_t size() const { return boost::num_vertices(m_graph); }
  const OpNode& op(size_t index) const { return m_graph[index]; }
  std::vector<size_t> dependencies(size_t consumer) const;  // producers, in the order they were added

  // A topological order (boost::topological_sort) in which every operation follows its producers and independent
  // operations keep the order they were added in. Throws GraphError naming the operations of one cycle, e.g.
  // "dependency cycle: a (f.yaml:3) -> b (f.yaml:9) -> a (f.yaml:3)".
  std::vector<size_t> schedule() const;

 private:
  using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, OpNode>;
  std::string describe_cycle() const;
  Graph m_graph;
};

// Layers that run one after the other (a SCALE-Sim file, a CNN of the zoo): a chain in the given order.
OperatorGraph chain_graph(const std::vector<LayerSpec>& layers);

}  // namespace pesim::workloads

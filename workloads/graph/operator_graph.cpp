// SPDX-License-Identifier: Apache-2.0
#include "workloads/graph/operator_graph.h"

#include <algorithm>
#include <boost/graph/depth_first_search.hpp>
#include <boost/graph/reverse_graph.hpp>
#include <boost/graph/topological_sort.hpp>
#include <iterator>

namespace pesim::workloads {

const std::vector<VectorKindInfo>& vector_kinds() {
  static const std::vector<VectorKindInfo> kinds{
      {VectorKind::Add, "add", 2, "element-wise sum of two tensors (residual connections)"},
      {VectorKind::Mul, "mul", 2, "element-wise product of two tensors (SwiGLU's gate times up)"},
      {VectorKind::Relu, "relu", 1, "max(x, 0)"},
      {VectorKind::Silu, "silu", 1, "x * sigmoid(x)"},
      {VectorKind::Gelu, "gelu", 1, "x * Phi(x) (tanh approximation)"},
      {VectorKind::Rope, "rope", 1, "rotary position embedding of queries or keys"},
      {VectorKind::RmsNorm, "rmsnorm", 1, "x / rms(x) * g over each row"},
      {VectorKind::LayerNorm, "layernorm", 1, "(x - mean) / sd * g + b over each row"},
      {VectorKind::Softmax, "softmax", 1, "exp(x - max) / sum over each row (attention scores)"},
  };
  return kinds;
}

const VectorKindInfo& vector_kind_info(VectorKind kind) {
  for (const VectorKindInfo& info : vector_kinds()) {
    if (info.kind == kind) return info;
  }
  throw std::logic_error("pesim bug: vector kind without a table entry");
}

bool parse_vector_kind(const std::string& name, VectorKind& out) {
  for (const VectorKindInfo& info : vector_kinds()) {
    if (name == info.name) {
      out = info.kind;
      return true;
    }
  }
  return false;
}

const std::string& op_name(const OpNode& node) {
  return std::visit([](const auto& op) -> const std::string& { return op.name; }, node);
}

const std::string& op_origin(const OpNode& node) {
  return std::visit([](const auto& op) -> const std::string& { return op.origin; }, node);
}

bool on_vector_unit(const OpNode& node) { return std::holds_alternative<VectorOp>(node); }

size_t OperatorGraph::add_op(OpNode node) { return boost::add_vertex(std::move(node), m_graph); }

void OperatorGraph::add_dependency(size_t producer, size_t consumer) {
  if (producer >= size() || consumer >= size()) throw std::out_of_range("operator graph: no such vertex");
  boost::add_edge(producer, consumer, m_graph);
}

std::vector<size_t> OperatorGraph::dependencies(size_t consumer) const {
  std::vector<size_t> producers;
  for (const auto& edge : boost::make_iterator_range(boost::in_edges(consumer, m_graph))) {
    producers.push_back(boost::source(edge, m_graph));
  }
  return producers;
}

std::vector<size_t> OperatorGraph::schedule() const {
  // On the reversed graph (consumer -> producer) a depth-first search finishes every operation after its producers,
  // and topological_sort writes vertices in finishing order: that is the schedule itself, and since the search
  // starts from the vertices in the order they were added, independent operations keep that order.
  std::vector<size_t> order;
  order.reserve(size());
  try {
    const auto consumer_to_producer = boost::make_reverse_graph(m_graph);
    boost::topological_sort(consumer_to_producer, std::back_inserter(order));
  } catch (const boost::not_a_dag&) {
    throw GraphError("dependency cycle: " + describe_cycle());
  }
  return order;
}

namespace {

// Records the depth-first tree and stops at the first back edge, which closes a cycle.
struct CycleFinder : boost::default_dfs_visitor {
  struct Found {
    size_t from, to;  // the back edge: `to` is an ancestor of `from` in the tree
  };
  std::vector<size_t>* parent;
  template <class Edge, class Graph>
  void tree_edge(Edge e, const Graph& g) const {
    (*parent)[boost::target(e, g)] = boost::source(e, g);
  }
  template <class Edge, class Graph>
  void back_edge(Edge e, const Graph& g) const {
    throw Found{boost::source(e, g), boost::target(e, g)};
  }
};

}  // namespace

std::string OperatorGraph::describe_cycle() const {
  std::vector<size_t> parent(size(), SIZE_MAX);
  std::vector<size_t> cycle;
  try {
    boost::depth_first_search(m_graph, boost::visitor(CycleFinder{{}, &parent}));
  } catch (const CycleFinder::Found& found) {
    for (size_t v = found.from; v != found.to; v = parent[v]) cycle.push_back(v);
    cycle.push_back(found.to);
    std::reverse(cycle.begin(), cycle.end());
    cycle.push_back(found.to);
  }
  std::string text;
  for (size_t v : cycle) {
    const std::string& origin = op_origin(op(v));
    text += (text.empty() ? "" : " -> ") + op_name(op(v)) + (origin.empty() ? "" : " (" + origin + ")");
  }
  return text;
}

OperatorGraph chain_graph(const std::vector<LayerSpec>& layers) {
  OperatorGraph graph;
  for (size_t i = 0; i < layers.size(); ++i) {
    const size_t v = graph.add_op(layers[i]);
    if (i > 0) graph.add_dependency(v - 1, v);
  }
  return graph;
}

}  // namespace pesim::workloads

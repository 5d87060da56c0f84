// SPDX-License-Identifier: Apache-2.0
// The operator graph (schedule, cycles), the zoo's transformer blocks (element counts worked by hand from the models'
// configurations) and pesim's workload files (every error names FILE:LINE and the key).
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>

#include "pesim/version.h"
#include "workloads/graph/operator_graph.h"
#include "workloads/graph/transformer_graph.h"
#include "workloads/graph/workload_file.h"

namespace fs = std::filesystem;
namespace wl = pesim::workloads;
using Catch::Matchers::Contains;

namespace {

wl::OpNode vector_op(const std::string& name, const std::string& origin = "") {
  return wl::VectorOp{name, origin, wl::VectorKind::Add, 64, 1};
}

std::vector<std::string> scheduled_names(const wl::OperatorGraph& graph) {
  std::vector<std::string> names;
  for (size_t v : graph.schedule()) names.push_back(wl::op_name(graph.op(v)));
  return names;
}

// Every op of the zoo graph by name, and a check that the schedule puts each op after its producers.
std::map<std::string, wl::OpNode> ops_in_order(const wl::OperatorGraph& graph) {
  std::map<std::string, wl::OpNode> ops;
  std::map<size_t, size_t> position;
  const std::vector<size_t> order = graph.schedule();
  for (size_t i = 0; i < order.size(); ++i) position[order[i]] = i;
  for (size_t v = 0; v < graph.size(); ++v) {
    for (size_t producer : graph.dependencies(v)) CHECK(position[producer] < position[v]);
    ops.emplace(wl::op_name(graph.op(v)), graph.op(v));
  }
  return ops;
}

const wl::VectorOp& vec(const std::map<std::string, wl::OpNode>& ops, const std::string& name) {
  return std::get<wl::VectorOp>(ops.at(name));
}
const wl::LayerSpec& gemm(const std::map<std::string, wl::OpNode>& ops, const std::string& name) {
  return std::get<wl::LayerSpec>(ops.at(name));
}

std::string write_file(const std::string& name, const std::string& text) {
  const fs::path path = fs::temp_directory_path() / ("pesim_graph_test_" + name);
  std::ofstream(path) << text;
  return path.string();
}

}  // namespace

TEST_CASE("graph schedule: producers first, independent ops in the order they were added", "[graph]") {
  wl::OperatorGraph g;
  const size_t c = g.add_op(vector_op("c"));  // added first, but reads b
  const size_t a = g.add_op(vector_op("a"));
  const size_t b = g.add_op(vector_op("b"));
  const size_t d = g.add_op(vector_op("d"));
  g.add_dependency(a, b);
  g.add_dependency(b, c);
  CHECK(scheduled_names(g) == std::vector<std::string>{"a", "b", "c", "d"});
  CHECK(g.dependencies(c) == std::vector<size_t>{b});
  (void)d;
  CHECK_THROWS_AS(g.add_dependency(a, 99), std::out_of_range);
}

TEST_CASE("graph schedule: a cycle is an error naming its ops", "[graph]") {
  wl::OperatorGraph g;
  const size_t x = g.add_op(vector_op("x", "f.yaml:2"));
  const size_t y = g.add_op(vector_op("y", "f.yaml:3"));
  const size_t z = g.add_op(vector_op("z", "f.yaml:4"));
  g.add_op(vector_op("outside"));
  g.add_dependency(x, y);
  g.add_dependency(y, z);
  g.add_dependency(z, x);
  CHECK_THROWS_WITH(g.schedule(), Contains("dependency cycle: x (f.yaml:2) -> y (f.yaml:3) -> z (f.yaml:4) -> x"));
  wl::OperatorGraph self;
  const size_t s = self.add_op(vector_op("s"));
  self.add_dependency(s, s);
  CHECK_THROWS_WITH(self.schedule(), Contains("dependency cycle: s -> s"));
}

TEST_CASE("chain graph keeps a SCALE-Sim file's order, repeated names included", "[graph]") {
  std::vector<wl::LayerSpec> layers(3);
  layers[0].name = "fc";
  layers[1].name = "fc";
  layers[2].name = "out";
  const wl::OperatorGraph g = wl::chain_graph(layers);
  CHECK(scheduled_names(g) == std::vector<std::string>{"fc", "fc", "out"});
  CHECK(g.dependencies(2) == std::vector<size_t>{1});
}

TEST_CASE("LLaMA-2-7B block: GEMMs, attention and vector ops with their element counts", "[graph][zoo]") {
  const auto& llama = wl::find_model("llama2-7b");
  const wl::OperatorGraph prefill = wl::transformer_graph(llama, wl::Phase::Prefill, 2, 1024);
  CHECK(prefill.size() == 18);  // 7 linear layers, 2 attention GEMMs, 9 vector ops
  const auto ops = ops_in_order(prefill);
  const std::vector<std::string> order = scheduled_names(prefill);
  CHECK(order.front() == "attn_norm");
  CHECK(order.back() == "ffn_residual");
  const int64_t tokens = 2 * 1024;
  CHECK(vec(ops, "attn_norm").kind == wl::VectorKind::RmsNorm);
  CHECK(vec(ops, "attn_norm").elements == tokens * 4096);
  CHECK(vec(ops, "attn_norm").repeat == 32);
  CHECK(vec(ops, "rope_k").elements == tokens * 4096);
  CHECK(vec(ops, "softmax").elements == int64_t{2} * 32 * 1024 * 1024);  // batch x heads x q x kv
  CHECK(vec(ops, "ffn_act").kind == wl::VectorKind::Silu);
  CHECK(vec(ops, "ffn_act").elements == tokens * 11008);
  CHECK(vec(ops, "ffn_gate_mul").elements == tokens * 11008);
  CHECK(vec(ops, "ffn_residual").elements == tokens * 4096);
  const wl::LayerSpec& scores = gemm(ops, "attn_scores");
  CHECK((scores.m == 1024 && scores.n == 1024 && scores.k == 128 && scores.repeat == 32 * 2 * 32));
  const wl::LayerSpec& context = gemm(ops, "attn_context");
  CHECK((context.m == 1024 && context.n == 128 && context.k == 1024));
  CHECK((gemm(ops, "down_proj").m == tokens && gemm(ops, "down_proj").k == 11008));

  const auto decode = ops_in_order(wl::transformer_graph(llama, wl::Phase::Decode, 8, 4096));
  CHECK(vec(decode, "softmax").elements == int64_t{8} * 32 * 4096);  // one query per sequence over 4096 keys
  CHECK(vec(decode, "attn_norm").elements == 8 * 4096);
  CHECK((gemm(decode, "attn_scores").m == 1 && gemm(decode, "attn_scores").n == 4096));
  CHECK(gemm(decode, "q_proj").m == 8);
}

TEST_CASE("OPT and ViT blocks: LayerNorm, ReLU and GELU; ViT attends over its tokens", "[graph][zoo]") {
  const auto opt = ops_in_order(wl::transformer_graph(wl::find_model("opt-6.7b"), wl::Phase::Prefill, 1, 512));
  CHECK(opt.size() == 14);  // 6 linear layers, 2 attention GEMMs, 6 vector ops
  CHECK(vec(opt, "attn_norm").kind == wl::VectorKind::LayerNorm);
  CHECK(vec(opt, "ffn_act").kind == wl::VectorKind::Relu);
  CHECK(vec(opt, "ffn_act").elements == 512 * 16384);
  CHECK(opt.count("rope_q") == 0);
  const auto vit = ops_in_order(wl::transformer_graph(wl::find_model("vit-b16"), wl::Phase::Prefill, 4, 999));
  CHECK(vec(vit, "ffn_act").kind == wl::VectorKind::Gelu);
  CHECK(vec(vit, "softmax").elements == int64_t{4} * 12 * 197 * 197);
  CHECK((gemm(vit, "attn_scores").k == 64 && gemm(vit, "attn_scores").repeat == 12 * 4 * 12));
  CHECK_THROWS_WITH(wl::transformer_graph(wl::find_model("vit-b16"), wl::Phase::Decode, 1, 1), Contains("prefill"));
}

TEST_CASE("workload file: the shipped examples load", "[workload_file]") {
  const wl::OperatorGraph block = wl::read_workload_file(pesim::source_path("workloads/examples/decoder_block.yaml"));
  CHECK(block.size() == 16);
  const auto ops = ops_in_order(block);
  CHECK(gemm(ops, "attn_scores").repeat == 4 * 8);  // op repeat x file repeat
  CHECK(vec(ops, "softmax").elements == 524288);
  CHECK(vec(ops, "softmax").repeat == 4);
  CHECK(wl::op_origin(ops.at("q_proj")) == pesim::source_path("workloads/examples/decoder_block.yaml:7"));
  const wl::OperatorGraph stem = wl::read_workload_file(pesim::source_path("workloads/examples/conv_stem.json"));
  const auto conv = ops_in_order(stem);
  CHECK(gemm(conv, "conv1").conv.stride_w == 2);
  CHECK((gemm(conv, "conv2_dw").conv.channels == 1 && gemm(conv, "conv2_dw").repeat == 64));  // depthwise
  CHECK(scheduled_names(stem) == std::vector<std::string>{"conv1", "relu1", "conv2_dw", "conv2_pw"});
}

TEST_CASE("workload file: forward references in after", "[workload_file]") {
  const std::string path = write_file("forward.yaml",
                                      "ops:\n"
                                      "  - {name: b, type: gelu, elements: 10, after: a}\n"
                                      "  - {name: a, type: gemm, m: 1, n: 10, k: 4}\n");
  CHECK(scheduled_names(wl::read_workload_file(path)) == std::vector<std::string>{"a", "b"});
}

TEST_CASE("workload file: errors name the file, the line and the key", "[workload_file]") {
  const auto error_of = [](const std::string& name, const std::string& text) {
    const std::string path = write_file(name, text);
    try {
      wl::read_workload_file(path);
    } catch (const wl::WorkloadError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  const std::string head = "ops:\n  - {name: a, type: gemm, m: 4, n: 4, k: 4}\n";
  CHECK_THAT(error_of("typo.yaml", head + "  - {name: b, type: gemm, m: 4, n: 4, kk: 4}\n"),
             Contains("typo.yaml:3: op 'b' (gemm): unknown key 'kk' (did you mean 'k'?)"));
  CHECK_THAT(error_of("zero.yaml", head + "  - name: b\n    type: gemm\n    m: 0\n    n: 4\n    k: 4\n"),
             Contains("zero.yaml:5: op 'b': m: 0 is not a positive integer"));
  CHECK_THAT(error_of("negative.yaml", head + "  - {name: b, type: softmax, elements: -3}\n"),
             Contains("negative.yaml:3: op 'b': elements: -3 is not a positive integer"));
  CHECK_THAT(error_of("text.yaml", head + "  - {name: b, type: softmax, elements: many}\n"),
             Contains("text.yaml:3: op 'b': elements: 'many' is not an integer"));
  CHECK_THAT(error_of("big.yaml", head + "  - {name: b, type: gemm, m: 16777217, n: 4, k: 4}\n"),
             Contains("big.yaml:3: op 'b': m: 16777217 is over the limit 16777216"));
  CHECK_THAT(error_of("missing.yaml", head + "  - {name: b, type: gemm, m: 4, n: 4}\n"),
             Contains("missing.yaml:3: op 'b': missing key 'k'"));
  CHECK_THAT(error_of("type.yaml", head + "  - {name: b, type: softmx, elements: 4}\n"),
             Contains("type.yaml:3: op 'b': unknown type 'softmx' (did you mean 'softmax'?)"));
  CHECK_THAT(error_of("other.yaml", head + "  - {name: b, type: relu, elements: 4, m: 4}\n"),
             Contains("other.yaml:3: op 'b' (relu): unknown key 'm'"));
  CHECK_THAT(error_of("dup.yaml", head + "  - {name: a, type: relu, elements: 4}\n"),
             Contains("dup.yaml:3: duplicate op name 'a' (first at"));
  CHECK_THAT(error_of("after.yaml", head + "  - {name: b, type: relu, elements: 4, after: [aa]}\n"),
             Contains("after.yaml:3: op 'b': after: no op named 'aa' (did you mean 'a'?)"));
  CHECK_THAT(error_of("top.yaml", "opz:\n  - {name: a, type: relu, elements: 4}\n"),
             Contains("top.yaml:1: workload: unknown key 'opz' (did you mean 'ops'?)"));
  CHECK_THAT(error_of("syntax.yaml", "ops:\n  - {name: a, type: relu\n"), Contains("syntax.yaml:"));
  CHECK_THAT(error_of("empty.yaml", "ops: []\n"), Contains("empty.yaml:1: ops: expected a non-empty list"));
  CHECK_THAT(error_of("filter.yaml",
                      "ops:\n  - {name: c, type: conv, ifmap_h: 4, ifmap_w: 4, filter_h: 5, filter_w: 3, "
                      "channels: 1, filters: 1}\n"),
             Contains("filter.yaml:2: op 'c' (conv): the filter (5x3) is larger than the input (4x4)"));
  CHECK_THAT(error_of("cycle.yaml",
                      "ops:\n"
                      "  - {name: p, type: add, elements: 4, after: r}\n"
                      "  - {name: q, type: add, elements: 4, after: p}\n"
                      "  - {name: r, type: add, elements: 4, after: q}\n"),
             Contains("cycle.yaml: dependency cycle: p (") && Contains("cycle.yaml:3) -> r (") && Contains("-> p ("));
  CHECK_THAT(error_of("none.yaml", ""), Contains("none.yaml: the workload file is empty"));
  CHECK_THAT(error_of("none.yaml", "# nothing\n"), Contains("none.yaml: expected a map"));
  CHECK_THAT(error_of("../no/such/dir.yaml", ""), Contains("cannot open the workload file"));
}

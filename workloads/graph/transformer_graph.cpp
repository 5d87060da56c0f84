// SPDX-License-Identifier: Apache-2.0
#include "workloads/graph/transformer_graph.h"

#include <map>
#include <stdexcept>

namespace pesim::workloads {

namespace {

// Adds operations by name, each after the named producers (which must have been added before).
class BlockBuilder {
 public:
  BlockBuilder(const ModelConfig& model, Phase phase, int64_t batch, int64_t sequence_length)
      : m_origin("zoo " + model.name + ":" + phase_name(phase)),
        m_linear(zoo_layers(model, phase, batch, sequence_length)),
        m_blocks(model.layers) {}

  // A linear layer of the zoo, by its zoo name.
  void linear(const std::string& name, std::initializer_list<const char*> after) {
    for (const GemmLayer& gemm : m_linear) {
      if (gemm.name == name) return gemm_op(name, gemm.m, gemm.n, gemm.k, gemm.count, after);
    }
    throw std::logic_error("pesim bug: zoo has no layer " + name);
  }

  void gemm_op(const std::string& name, int64_t m, int64_t n, int64_t k, int64_t repeat,
               std::initializer_list<const char*> after) {
    LayerSpec layer;
    layer.name = name;
    layer.origin = m_origin;
    layer.is_gemm = true;
    layer.m = m;
    layer.n = n;
    layer.k = k;
    layer.repeat = repeat;
    add(layer, after);
  }

  void vector_op(const std::string& name, VectorKind kind, int64_t elements, std::initializer_list<const char*> after) {
    add(VectorOp{name, m_origin, kind, elements, m_blocks}, after);
  }

  OperatorGraph take() { return std::move(m_graph); }

 private:
  void add(OpNode node, std::initializer_list<const char*> after) {
    const std::string name = op_name(node);
    const size_t v = m_graph.add_op(std::move(node));
    for (const char* producer : after) m_graph.add_dependency(m_index.at(producer), v);
    m_index[name] = v;
  }

  std::string m_origin;
  std::vector<GemmLayer> m_linear;
  int64_t m_blocks;
  OperatorGraph m_graph;
  std::map<std::string, size_t> m_index;
};

struct BlockSizes {
  int64_t q = 0, kv = 0, tokens = 0;  // per sequence, attended, in the pass (T)
  int64_t head_dim = 0;
  int64_t per_head_repeat = 0;  // blocks * batch * heads
};

BlockSizes block_sizes(const ModelConfig& model, Phase phase, int64_t batch, int64_t sequence_length) {
  const bool vision = model.family == ModelFamily::VisionEncoder;
  BlockSizes s;
  s.kv = vision ? model.tokens_per_image : sequence_length;
  s.q = phase == Phase::Decode ? 1 : s.kv;
  s.tokens = batch * s.q;
  s.head_dim = model.hidden / model.heads;
  s.per_head_repeat = model.layers * batch * model.heads;
  return s;
}

// From the projections' outputs to the output projection's input: scores, softmax, context.
void attention(BlockBuilder& b, const ModelConfig& model, const BlockSizes& s, int64_t batch,
               std::initializer_list<const char*> scores_after, const char* values) {
  b.gemm_op("attn_scores", s.q, s.kv, s.head_dim, s.per_head_repeat, scores_after);
  b.vector_op("softmax", VectorKind::Softmax, batch * model.heads * s.q * s.kv, {"attn_scores"});
  b.gemm_op("attn_context", s.q, s.head_dim, s.kv, s.per_head_repeat, {"softmax", values});
}

}  // namespace

OperatorGraph transformer_graph(const ModelConfig& model, Phase phase, int64_t batch, int64_t sequence_length) {
  BlockBuilder b(model, phase, batch, sequence_length);  // validates phase, batch and length
  const BlockSizes s = block_sizes(model, phase, batch, sequence_length);
  const int64_t td = s.tokens * model.hidden, tf = s.tokens * model.ffn;
  switch (model.family) {
    case ModelFamily::GatedFfnDecoder:
      b.vector_op("attn_norm", VectorKind::RmsNorm, td, {});
      b.linear("q_proj", {"attn_norm"});
      b.linear("k_proj", {"attn_norm"});
      b.linear("v_proj", {"attn_norm"});
      b.vector_op("rope_q", VectorKind::Rope, td, {"q_proj"});
      b.vector_op("rope_k", VectorKind::Rope, td, {"k_proj"});
      attention(b, model, s, batch, {"rope_q", "rope_k"}, "v_proj");
      b.linear("o_proj", {"attn_context"});
      b.vector_op("attn_residual", VectorKind::Add, td, {"o_proj"});
      b.vector_op("ffn_norm", VectorKind::RmsNorm, td, {"attn_residual"});
      b.linear("gate_proj", {"ffn_norm"});
      b.linear("up_proj", {"ffn_norm"});
      b.vector_op("ffn_act", VectorKind::Silu, tf, {"gate_proj"});
      b.vector_op("ffn_gate_mul", VectorKind::Mul, tf, {"ffn_act", "up_proj"});
      b.linear("down_proj", {"ffn_gate_mul"});
      break;
    case ModelFamily::Decoder:
      b.vector_op("attn_norm", VectorKind::LayerNorm, td, {});
      b.linear("q_proj", {"attn_norm"});
      b.linear("k_proj", {"attn_norm"});
      b.linear("v_proj", {"attn_norm"});
      attention(b, model, s, batch, {"q_proj", "k_proj"}, "v_proj");
      b.linear("out_proj", {"attn_context"});
      b.vector_op("attn_residual", VectorKind::Add, td, {"out_proj"});
      b.vector_op("ffn_norm", VectorKind::LayerNorm, td, {"attn_residual"});
      b.linear("fc1", {"ffn_norm"});
      b.vector_op("ffn_act", VectorKind::Relu, tf, {"fc1"});
      b.linear("fc2", {"ffn_act"});
      break;
    case ModelFamily::VisionEncoder:
      b.vector_op("attn_norm", VectorKind::LayerNorm, td, {});
      b.linear("qkv", {"attn_norm"});
      attention(b, model, s, batch, {"qkv"}, "qkv");
      b.linear("proj", {"attn_context"});
      b.vector_op("attn_residual", VectorKind::Add, td, {"proj"});
      b.vector_op("ffn_norm", VectorKind::LayerNorm, td, {"attn_residual"});
      b.linear("fc1", {"ffn_norm"});
      b.vector_op("ffn_act", VectorKind::Gelu, tf, {"fc1"});
      b.linear("fc2", {"ffn_act"});
      break;
  }
  const char* last_linear = model.family == ModelFamily::GatedFfnDecoder ? "down_proj" : "fc2";
  b.vector_op("ffn_residual", VectorKind::Add, td, {last_linear, "attn_residual"});
  return b.take();
}

}  // namespace pesim::workloads

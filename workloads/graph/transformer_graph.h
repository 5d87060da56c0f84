// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <cstdint>

#include "workloads/graph/operator_graph.h"
#include "workloads/zoo/model_zoo.h"

namespace pesim::workloads {

// One forward pass of a zoo transformer as an operator graph: the operations of one block, each repeated once per
// block (`model.layers`), in data-flow order. Embeddings, the final norm and the LM head are not included (nor in
// zoo_layers); biases are taken to be added in the array's output path.
//
// With q = tokens per sequence that this pass computes (prefill: sequence_length; decode: 1; vision: tokens per
// image), kv = tokens attended to (sequence_length, the context held in the KV cache when decoding; vision: tokens
// per image), T = batch * q, d the hidden size, h heads, f the FFN size:
//   array:  the zoo's linear layers (M = T), and per sequence and head attn_scores (q x d/h by d/h x kv) and
//           attn_context (q x kv by kv x d/h), repeated batch * h times per block;
//   vector: attn_norm and ffn_norm (T d; RMSNorm for LLaMA, LayerNorm for OPT and ViT), rope_q and rope_k (T d,
//           LLaMA), softmax over the scores (batch h q kv, causal masking not exploited), attn_residual and
//           ffn_residual (T d), the FFN activation (T f: SiLU, ReLU for OPT, GELU for ViT) and, for LLaMA's gated
//           FFN, ffn_gate_mul (T f).
// Throws std::invalid_argument as zoo_layers does.
OperatorGraph transformer_graph(const ModelConfig& model, Phase phase, int64_t batch, int64_t sequence_length);

}  // namespace pesim::workloads

// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace pesim::workloads {

// The built-in zoo: the weight-bearing linear layers of transformer models, as GEMMs Y = X * W with X (M x K)
// the activations and W (K x N) the weights. Shapes come from the models' public configurations
// (../shared/papers.md section 1): hidden size d, heads, FFN size, layers, and for vision models the tokens per
// image. Attention's activation-by-activation matmuls carry no weights and are not listed.
enum class ModelFamily : uint8_t {
  GatedFfnDecoder,  // LLaMA-2: q, k, v, o (d x d); gate and up (d x ffn), down (ffn x d)
  Decoder,          // OPT: q, k, v, o (d x d); fc1 (d x ffn), fc2 (ffn x d)
  VisionEncoder,    // ViT: qkv (d x 3d), proj (d x d), fc1 (d x ffn), fc2 (ffn x d)
};

struct ModelConfig {
  std::string name;
  ModelFamily family;
  int64_t hidden = 0;  // d
  int64_t heads = 0;
  int64_t ffn = 0;               // FFN inner size
  int64_t layers = 0;            // transformer blocks
  int64_t tokens_per_image = 0;  // vision encoders: patches + class token
};

enum class Phase : uint8_t { Prefill, Decode };

// One linear layer of one transformer block, and how many times the model runs it per forward pass.
struct GemmLayer {
  std::string name;  // e.g. "q_proj"
  int64_t m = 0, k = 0, n = 0;
  int64_t count = 0;  // blocks that have this layer
  int64_t macs() const { return m * k * n; }
};

const std::vector<ModelConfig>& zoo_models();

// Throws std::invalid_argument naming the unknown model (with the known ones).
const ModelConfig& find_model(const std::string& name);

// The linear layers of one forward pass. Prefill: M = batch * sequence_length tokens (vision encoders: batch *
// tokens_per_image; sequence_length is ignored). Decode: one new token per sequence, M = batch (LLMs only).
std::vector<GemmLayer> zoo_layers(const ModelConfig& model, Phase phase, int64_t batch, int64_t sequence_length);

bool parse_phase(const std::string& name, Phase& out);  // "prefill", "decode"
const char* phase_name(Phase p);

}  // namespace pesim::workloads

// SPDX-License-Identifier: Apache-2.0
#include "workloads/zoo/model_zoo.h"

#include <stdexcept>

namespace pesim::workloads {

const std::vector<ModelConfig>& zoo_models() {
  static const std::vector<ModelConfig> models{
      {"llama2-7b", ModelFamily::GatedFfnDecoder, 4096, 32, 11008, 32, 0},
      {"llama2-13b", ModelFamily::GatedFfnDecoder, 5120, 40, 13824, 40, 0},
      {"opt-6.7b", ModelFamily::Decoder, 4096, 32, 16384, 32, 0},
      {"vit-b16", ModelFamily::VisionEncoder, 768, 12, 3072, 12, 197},
      {"vit-h14", ModelFamily::VisionEncoder, 1280, 16, 5120, 32, 257},
  };
  return models;
}

const ModelConfig& find_model(const std::string& name) {
  std::string known;
  for (const ModelConfig& m : zoo_models()) {
    if (m.name == name) return m;
    known += (known.empty() ? "" : ", ") + m.name;
  }
  throw std::invalid_argument("unknown zoo model '" + name + "' (known: " + known + ")");
}

std::vector<GemmLayer> zoo_layers(const ModelConfig& model, Phase phase, int64_t batch, int64_t sequence_length) {
  if (batch < 1 || sequence_length < 1) throw std::invalid_argument("batch and sequence length must be >= 1");
  const bool vision = model.family == ModelFamily::VisionEncoder;
  if (vision && phase == Phase::Decode) {
    throw std::invalid_argument(model.name + " is an encoder: it has a prefill (whole image) phase only");
  }
  const int64_t m = phase == Phase::Decode ? batch : batch * (vision ? model.tokens_per_image : sequence_length);
  const int64_t d = model.hidden;
  const int64_t n_blocks = model.layers;
  switch (model.family) {
    case ModelFamily::GatedFfnDecoder:
      return {{"q_proj", m, d, d, n_blocks},
              {"k_proj", m, d, d, n_blocks},
              {"v_proj", m, d, d, n_blocks},
              {"o_proj", m, d, d, n_blocks},
              {"gate_proj", m, d, model.ffn, n_blocks},
              {"up_proj", m, d, model.ffn, n_blocks},
              {"down_proj", m, model.ffn, d, n_blocks}};
    case ModelFamily::Decoder:
      return {{"q_proj", m, d, d, n_blocks},   {"k_proj", m, d, d, n_blocks},      {"v_proj", m, d, d, n_blocks},
              {"out_proj", m, d, d, n_blocks}, {"fc1", m, d, model.ffn, n_blocks}, {"fc2", m, model.ffn, d, n_blocks}};
    case ModelFamily::VisionEncoder:
      return {{"qkv", m, d, 3 * d, n_blocks},
              {"proj", m, d, d, n_blocks},
              {"fc1", m, d, model.ffn, n_blocks},
              {"fc2", m, model.ffn, d, n_blocks}};
  }
  return {};
}

bool parse_phase(const std::string& name, Phase& out) {
  if (name == "prefill")
    out = Phase::Prefill;
  else if (name == "decode")
    out = Phase::Decode;
  else
    return false;
  return true;
}

const char* phase_name(Phase p) { return p == Phase::Prefill ? "prefill" : "decode"; }

}  // namespace pesim::workloads

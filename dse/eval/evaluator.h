// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "dse/space/space_spec.h"
#include "models/cost/array_cost.h"
#include "sim/analytical/analytical_engine.h"
#include "sim/analytical/workload_schedule.h"
#include "sim/cycle/systolic_engine.h"
#include "workloads/topology/topology.h"

namespace pesim::dse {

// One design's result: metrics by name (metric_catalog), all finite, or, when the design could not be evaluated (an
// architecture the PE refuses, a synthesis failure, a metric that is not finite), the reason.
struct Evaluation {
  bool ok = false;
  std::string error;
  std::map<std::string, double> metrics;
  double wall_seconds = 0;
};

// The ground truth of a sweep: the spec's engine's timing of its workload on the design's architecture (array
// layers; vector-unit ops analytically), plus the cost flow's area and energy on the spec's technology (the PE and its
// shared units synthesized once per PE configuration, cached in SQLite; the PE's and its shared units' energy per
// operation from switching activity of their netlists, cached there too; the SRAM model).
// Deterministic: the same design always gives the same metrics.
class Evaluator {
 public:
  // Loads the workload; throws the workload readers' errors (file:line:field) or params::ParamError, and SpaceError
  // for a layer too large for the spec's cycle engine.
  Evaluator(const SpaceSpec& spec, std::string cost_db_path);
  ~Evaluator();

  Evaluation evaluate(const Design& design);
  // "analytical+cost/TECH" or "cycle+cost/TECH", stored with each evaluation.
  std::string name() const;

  static constexpr int64_t kErrorBlockSide = 16;  // outputs sampled per side for arith_error_rms_rel
  // The error GEMM's MAC steps: past this the block narrows (to one output), then the chain shortens, so a layer with
  // a huge reduction costs an evaluation about a second, not minutes and gigabytes.
  static constexpr int64_t kMaxErrorMacSteps = int64_t{1} << 22;

 private:
  struct PeCost;
  const PeCost& pe_cost(const array::ArchSpec& arch);
  std::map<std::string, double> metrics(const array::ArchSpec& arch, const PeCost& pe) const;
  void clock_layer(const array::ArchSpec& arch, size_t layer_index, analytical::LayerResult& result) const;
  // A layer's operation words for a PE configuration: the same for every design with that PE (the operand values
  // are seeded by the layer's index), so made once while they fit kLayerWordsCacheBytes.
  std::shared_ptr<const cycle::GemmWords> layer_words(const array::ArchSpec& arch, size_t layer_index,
                                                      const workloads::GemmDims& d) const;

  static constexpr uint64_t kErrorSeed = 1;
  static constexpr size_t kLayerWordsCacheBytes = size_t{512} << 20;

  const SpaceSpec& m_spec;
  std::string m_cost_db_path;
  analytical::Schedule m_schedule;
  workloads::GemmDims m_error_gemm;  // m x n outputs of the longest-reduction layer, its full k
  std::map<std::string, std::unique_ptr<PeCost>> m_pe_costs;                             // by the PE's parameters
  mutable std::map<std::string, std::shared_ptr<const cycle::GemmWords>> m_layer_words;  // by PE, layer and shape
  mutable size_t m_layer_words_bytes = 0;
};

}  // namespace pesim::dse

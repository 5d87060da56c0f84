// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "dse/eval/evaluator.h"
#include "dse/space/design_features.h"
#include "dse/space/space_spec.h"
#include "dse/store/dse_store.h"

namespace pesim::dse {

// The designs of a run with successful evaluations, as the cost models see them.
struct ModelData {
  std::vector<Design> designs;
  std::vector<std::string> hashes;
  std::vector<std::map<std::string, double>> metrics;
  double evaluate_seconds = 0;         // the evaluator's mean wall time per design
  double evaluate_median_seconds = 0;  // and its median: a design whose PE synthesis was cached
};

ModelData model_data(const SpaceSpec& spec, const std::vector<Design>& designs,
                     const std::vector<Evaluation>& evaluations);

// The metrics whose cost models a run records: its objectives, then latency_ms and energy_uj.
std::vector<std::string> validated_metrics(const SpaceSpec& spec);

// Cross-validates the run's cost model (`run.cost_model`) on up to kMaxValidationDesigns of its successful
// evaluations (a seeded sample), for each objective and for latency_ms and energy_uj: 5 folds, targets learned as
// logarithms (metrics span decades), predictions scored in the metric's own unit. Records each model with every
// held-out prediction in the store and prints one line per metric to `err`. A metric with a value <= 0 among them
// has no logarithm: it is skipped, with a line on `err`.
void record_cost_models(const SpaceSpec& spec, const RunInfo& run, const ModelData& data,
                        const DesignFeatures& features, DseStore& store, std::ostream& err);
constexpr size_t kMaxValidationDesigns = 1000;

// Held-out accuracy: the model fitted on `train_count` designs drawn with `seed`, scored on up to `test_limit` of
// the others. Recorded like record_cost_models' (validation "held out").
DseStore::ModelRecord held_out_model(const ModelData& data, const std::string& metric, const std::string& regressor,
                                     size_t train_count, size_t test_limit, uint64_t seed,
                                     const DesignFeatures& features);

}  // namespace pesim::dse

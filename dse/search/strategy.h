// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "dse/space/design_features.h"
#include "dse/space/design_space.h"

namespace pesim::dse {

// What an evaluation told the strategy. Objectives are all to be minimized (the driver negates maximized ones).
struct Observation {
  Design design;
  std::vector<double> objectives;
  // Per objective, the values of its metric's parts (MetricInfo::parts, e.g. energy_uj's) when the metric has parts
  // and the evaluation has them all, else empty. The model-guided strategy learns such an objective part by part.
  std::vector<std::vector<double>> objective_parts;
  bool feasible = true;  // false: it violates a constraint (objectives still hold its metrics)
  bool failed = false;   // the evaluator failed (objectives are meaningless)
};

struct StrategyOptions {
  uint64_t seed = 1;
  size_t objective_count = 2;
  uint64_t budget = 0;            // evaluations the driver will ask for in all (strategies may plan with it)
  std::string cost_model = "gp";  // model-guided: "gp" or "trees"
  size_t population = 0;          // nsga2: designs per generation (0: its default, smaller for small budgets)
  // model-guided: what its cost models see of a design (null: the space's parameters, ParameterFeatures).
  std::shared_ptr<const DesignFeatures> features;
};

// Ask/tell search: a strategy proposes canonical designs and is told their results; it never evaluates anything
// itself. Contract: deterministic for a given space, options and sequence of asks and tells (so --resume and MPI
// runs replay a run exactly); never proposes a design twice, nor one it was told about; ask() returns fewer designs
// than asked (possibly none) only when it has nothing left to propose. The driver tells the results of each batch,
// in the order asked, before the next ask.
class Strategy {
 public:
  virtual ~Strategy() = default;
  virtual std::string name() const = 0;
  virtual std::vector<Design> ask(size_t count) = 0;
  virtual void tell(const std::vector<Observation>& observations) = 0;
};

// "grid" (every design in mixed-radix order), "random", "nsga2", "model". Throws std::invalid_argument for another
// name, listing the valid ones.
std::unique_ptr<Strategy> make_strategy(const std::string& name, const DesignSpace& space,
                                        const StrategyOptions& options);
std::vector<std::string> strategy_names();

}  // namespace pesim::dse

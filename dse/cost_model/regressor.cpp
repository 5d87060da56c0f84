// SPDX-License-Identifier: Apache-2.0
#include "dse/cost_model/regressor.h"

#include <stdexcept>

#include "dse/cost_model/gaussian_process.h"
#include "dse/cost_model/tree_ensemble.h"

namespace pesim::dse {

std::unique_ptr<Regressor> make_regressor(const std::string& name, uint64_t seed) {
  if (name == "gp") return std::make_unique<GaussianProcess>(seed);
  if (name == "trees") return std::make_unique<TreeEnsemble>(seed);
  throw std::invalid_argument("unknown cost model '" + name + "': valid names are gp, trees");
}

}  // namespace pesim::dse

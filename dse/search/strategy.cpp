// SPDX-License-Identifier: Apache-2.0
#include "dse/search/strategy.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <stdexcept>

#include "dse/search/strategies.h"

namespace pesim::dse {

std::vector<std::string> strategy_names() { return {"grid", "random", "nsga2", "model"}; }

std::unique_ptr<Strategy> make_strategy(const std::string& name, const DesignSpace& space,
                                        const StrategyOptions& options) {
  if (name == "grid") return make_grid_strategy(space, options);
  if (name == "random") return make_random_strategy(space, options);
  if (name == "nsga2") return make_nsga2_strategy(space, options);
  if (name == "model") return make_model_guided_strategy(space, options);
  throw std::invalid_argument(
      fmt::format("unknown search strategy '{}' (valid: {})", name, fmt::join(strategy_names(), ", ")));
}

}  // namespace pesim::dse

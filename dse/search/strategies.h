// SPDX-License-Identifier: Apache-2.0
// The strategies behind make_strategy (strategy.h); one .cpp each. Internal to dse/search.
#pragma once
#include <memory>

#include "dse/search/strategy.h"

namespace pesim::dse {

std::unique_ptr<Strategy> make_grid_strategy(const DesignSpace& space, const StrategyOptions& options);
std::unique_ptr<Strategy> make_random_strategy(const DesignSpace& space, const StrategyOptions& options);
std::unique_ptr<Strategy> make_nsga2_strategy(const DesignSpace& space, const StrategyOptions& options);
std::unique_ptr<Strategy> make_model_guided_strategy(const DesignSpace& space, const StrategyOptions& options);

}  // namespace pesim::dse

// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <ostream>

#include "sim/cost/cost_command.h"

namespace pesim::cost {

// `pesim cost --arch PRESET|FILE [--set k=v,...] --tech T [--format text|json]`: the whole array's area and leakage
// by component (PE array, shared units, array registers, each SRAM). Exit status as run_cost's.
int run_array_cost(const CostRequest& request, std::ostream& out, std::ostream& err);

}  // namespace pesim::cost

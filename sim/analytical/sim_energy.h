// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <string>

#include "models/array/arch.h"
#include "models/cost/array_cost.h"
#include "sim/analytical/analytical_engine.h"

namespace pesim::analytical {

// What `pesim sim --tech T` needs to put energy on each array layer: the array's cost (its PE and shared units
// synthesized onto the technology, cached in SQLite; the SRAM model) and the dynamic energy per operation.
struct EnergyModel {
  cost::ArrayCost array;
  cost::OperationEnergy per_operation;
  std::string pe_energy_source;    // how the PE's energy per operation was found
  std::string unit_energy_source;  // the shared units' (empty without any)
};

// Synthesizes (or finds in the cache at `cache_path`) the PE and its shared units. The PE's energy per operation
// comes from switching activity: its mapped netlist simulated on a weight-stationary stream of seeded normal
// operands (pesim cost's default stimulus); the shared units' from the documented constant-activity fallback.
// Throws std::invalid_argument for a technology without an energy model (printed, FPGA).
EnergyModel make_energy_model(const array::ArchSpec& arch, const std::string& tech, const std::string& cache_path);

// The counts of one instance of an array layer: PE operations (MACs x operations per MAC / lanes), shared-unit
// operations (the operations beyond one per MAC, e.g. MixPE's DEQUANTs), SRAM reads (the traffic model's) and writes
// (the DRAM fills of ifmap and filter, the partial sums of ofmap), DRAM bytes and run time.
cost::AccessCounts layer_access_counts(const array::ArchSpec& arch, const LayerResult& layer);

}  // namespace pesim::analytical

// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "sim/store/database.h"

namespace pesim::store {

// `pesim sim --db FILE`: every run, its per-layer results and its totals, in three tables of the shared file
// (schema version kSimSchemaVersion under component "sim" in schema_versions):
//   sim_runs(id, time UTC ISO 8601, pesim_version, command_line, arch (every parameter, as --set takes them),
//            workload, batch, seq, engine, conventions, seed, wall_seconds)
//   sim_layer_results(run_id -> sim_runs.id, position (schedule order), layer, unit 'array'|'vector',
//            op 'gemm'|'conv'|vector kind, m, n, k (array ops; NULL on the vector unit), elements (vector ops; NULL
//            on the array), repeat, compute_cycles, stall_cycles, total_cycles, utilization (cycles, bytes and
//            utilization of one run of the op: multiply by repeat for the workload's), sram_read_bytes,
//            sram_write_bytes, dram_read_bytes, dram_write_bytes, value_mismatches, max_rel_error, mean_rel_error
//            (cycle engine only; NULL otherwise))
//   sim_totals(run_id -> sim_runs.id, total_cycles, stall_cycles, array_cycles, vector_cycles, macs, utilization,
//            sram_bytes, dram_bytes, value_mismatches: the whole workload, repeats included)
// The DSE store's tables (spaces, runs, designs, evaluations) live beside these with their own prefix; an evaluation
// that wants its simulation kept can point at a sim_runs id.
inline constexpr int64_t kSimSchemaVersion = 1;

struct SimRunInfo {
  std::string pesim_version, command_line, arch, workload, engine, conventions;
  int64_t batch = 1, sequence_length = 1;
  uint64_t seed = 0;
  double wall_seconds = 0;
};

struct SimLayerRow {
  std::string layer, unit, op;
  int64_t m = 0, n = 0, k = 0;  // 0: not an array op (stored as NULL)
  int64_t elements = 0;         // 0: not a vector op (stored as NULL)
  int64_t repeat = 1;
  int64_t compute_cycles = 0, stall_cycles = 0;
  double utilization = 0;
  int64_t sram_read_bytes = 0, sram_write_bytes = 0, dram_read_bytes = 0, dram_write_bytes = 0;
  bool has_values = false;  // the cycle engine ran it: the three below are set
  int64_t value_mismatches = 0;
  double max_rel_error = 0, mean_rel_error = 0;
};

struct SimTotalsRow {
  int64_t total_cycles = 0, stall_cycles = 0, array_cycles = 0, vector_cycles = 0, macs = 0;
  double utilization = 0;
  int64_t sram_bytes = 0, dram_bytes = 0, value_mismatches = 0;
};

// Writes one run in one transaction (creating the tables on first use) and returns its sim_runs id. On any failure
// nothing of the run is written and StoreError is thrown.
int64_t record_sim_run(Database& db, const SimRunInfo& run, const std::vector<SimLayerRow>& layers,
                       const SimTotalsRow& totals);

}  // namespace pesim::store

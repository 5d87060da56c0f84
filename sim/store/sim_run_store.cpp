// SPDX-License-Identifier: Apache-2.0
#include "sim/store/sim_run_store.h"

namespace pesim::store {

namespace {

const char* kSimTables = R"sql(
CREATE TABLE IF NOT EXISTS sim_runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  time TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  pesim_version TEXT NOT NULL,
  command_line TEXT NOT NULL,
  arch TEXT NOT NULL,
  workload TEXT NOT NULL,
  batch INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  engine TEXT NOT NULL,
  conventions TEXT NOT NULL,
  seed INTEGER NOT NULL,
  wall_seconds REAL NOT NULL);
CREATE TABLE IF NOT EXISTS sim_layer_results (
  run_id INTEGER NOT NULL REFERENCES sim_runs(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  layer TEXT NOT NULL,
  unit TEXT NOT NULL CHECK (unit IN ('array', 'vector')),
  op TEXT NOT NULL,
  m INTEGER, n INTEGER, k INTEGER,
  elements INTEGER,
  repeat INTEGER NOT NULL,
  compute_cycles INTEGER NOT NULL,
  stall_cycles INTEGER NOT NULL,
  total_cycles INTEGER NOT NULL,
  utilization REAL NOT NULL,
  sram_read_bytes INTEGER NOT NULL,
  sram_write_bytes INTEGER NOT NULL,
  dram_read_bytes INTEGER NOT NULL,
  dram_write_bytes INTEGER NOT NULL,
  value_mismatches INTEGER,
  max_rel_error REAL,
  mean_rel_error REAL,
  PRIMARY KEY (run_id, position));
CREATE TABLE IF NOT EXISTS sim_totals (
  run_id INTEGER PRIMARY KEY REFERENCES sim_runs(id) ON DELETE CASCADE,
  total_cycles INTEGER NOT NULL,
  stall_cycles INTEGER NOT NULL,
  array_cycles INTEGER NOT NULL,
  vector_cycles INTEGER NOT NULL,
  macs INTEGER NOT NULL,
  utilization REAL NOT NULL,
  sram_bytes INTEGER NOT NULL,
  dram_bytes INTEGER NOT NULL,
  value_mismatches INTEGER NOT NULL);
)sql";

int64_t insert_run(Database& db, const SimRunInfo& run) {
  db.prepare(
        "INSERT INTO sim_runs (pesim_version, command_line, arch, workload, batch, seq, engine, conventions, seed, "
        "wall_seconds) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .bind(1, run.pesim_version)
      .bind(2, run.command_line)
      .bind(3, run.arch)
      .bind(4, run.workload)
      .bind(5, run.batch)
      .bind(6, run.sequence_length)
      .bind(7, run.engine)
      .bind(8, run.conventions)
      .bind(9, static_cast<int64_t>(run.seed))  // SQLite integers are signed 64-bit; seeds round-trip bit for bit
      .bind(10, run.wall_seconds)
      .run();
  return db.last_insert_id();
}

void bind_positive_or_null(Statement& s, int index, int64_t value) {
  if (value > 0) {
    s.bind(index, value);
  } else {
    s.bind_null(index);
  }
}

void insert_layer(Statement& s, int64_t run_id, int64_t position, const SimLayerRow& l) {
  s.bind(1, run_id).bind(2, position).bind(3, l.layer).bind(4, l.unit).bind(5, l.op);
  bind_positive_or_null(s, 6, l.m);
  bind_positive_or_null(s, 7, l.n);
  bind_positive_or_null(s, 8, l.k);
  bind_positive_or_null(s, 9, l.elements);
  s.bind(10, l.repeat).bind(11, l.compute_cycles).bind(12, l.stall_cycles).bind(13, l.compute_cycles + l.stall_cycles);
  s.bind(14, l.utilization).bind(15, l.sram_read_bytes).bind(16, l.sram_write_bytes);
  s.bind(17, l.dram_read_bytes).bind(18, l.dram_write_bytes);
  if (l.has_values) {
    s.bind(19, l.value_mismatches).bind(20, l.max_rel_error).bind(21, l.mean_rel_error);
  } else {
    s.bind_null(19).bind_null(20).bind_null(21);
  }
  s.run();
}

void insert_totals(Database& db, int64_t run_id, const SimTotalsRow& t) {
  db.prepare(
        "INSERT INTO sim_totals (run_id, total_cycles, stall_cycles, array_cycles, vector_cycles, macs, "
        "utilization, sram_bytes, dram_bytes, value_mismatches) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .bind(1, run_id)
      .bind(2, t.total_cycles)
      .bind(3, t.stall_cycles)
      .bind(4, t.array_cycles)
      .bind(5, t.vector_cycles)
      .bind(6, t.macs)
      .bind(7, t.utilization)
      .bind(8, t.sram_bytes)
      .bind(9, t.dram_bytes)
      .bind(10, t.value_mismatches)
      .run();
}

}  // namespace

int64_t record_sim_run(Database& db, const SimRunInfo& run, const std::vector<SimLayerRow>& layers,
                       const SimTotalsRow& totals) {
  int64_t run_id = 0;
  db.transaction([&] {
    db.ensure_schema("sim", kSimSchemaVersion, kSimTables);
    run_id = insert_run(db, run);
    Statement layer = db.prepare(
        "INSERT INTO sim_layer_results (run_id, position, layer, unit, op, m, n, k, elements, repeat, "
        "compute_cycles, stall_cycles, total_cycles, utilization, sram_read_bytes, sram_write_bytes, "
        "dram_read_bytes, dram_write_bytes, value_mismatches, max_rel_error, mean_rel_error) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    for (size_t i = 0; i < layers.size(); ++i) {
      insert_layer(layer, run_id, static_cast<int64_t>(i), layers[i]);
      layer.reset();
    }
    insert_totals(db, run_id, totals);
  });
  return run_id;
}

}  // namespace pesim::store

// SPDX-License-Identifier: Apache-2.0
// The run store of `pesim sim --db`: rows written and read back, one transaction per run, refused files.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim/store/sim_run_store.h"

namespace fs = std::filesystem;
namespace st = pesim::store;
using Catch::Matchers::Contains;

namespace {

fs::path fresh(const std::string& name) {
  const fs::path path = fs::temp_directory_path() / ("pesim_store_test_" + name);
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path.string() + suffix);
  return path;
}

int64_t count(st::Database& db, const std::string& sql) {
  st::Statement s = db.prepare(sql);
  REQUIRE(s.step());
  return s.column_int(0);
}

st::SimLayerRow row(const std::string& name, bool vector) {
  st::SimLayerRow r;
  r.layer = name;
  r.unit = vector ? "vector" : "array";
  r.op = vector ? "softmax" : "gemm";
  if (vector) {
    r.elements = 1000;
  } else {
    r.m = 4;
    r.n = 5;
    r.k = 6;
  }
  r.repeat = 3;
  r.compute_cycles = 100;
  r.stall_cycles = 7;
  r.utilization = 0.5;
  return r;
}

}  // namespace

TEST_CASE("sim store: a run, its layers and totals read back", "[store]") {
  const fs::path path = fresh("roundtrip.db");
  st::Database db(path.string());
  const st::SimRunInfo info{"0.1.0 (test)", "pesim sim --workload x", "rows=4", "x", "analytical", "pesim", 1,
                            2048,           uint64_t{1} << 63,        0.25};
  const st::SimTotalsRow totals{321, 21, 300, 21, 360, 0.5, 10, 20, 0};
  const int64_t first = st::record_sim_run(db, info, {row("fc", false), row("sm", true)}, totals);
  const int64_t second = st::record_sim_run(db, info, {row("fc", false)}, totals);
  CHECK(second == first + 1);
  CHECK(count(db, "SELECT count(*) FROM sim_layer_results WHERE run_id = " + std::to_string(first)) == 2);
  CHECK(count(db, "SELECT elements IS NULL AND m = 4 FROM sim_layer_results WHERE layer = 'fc' LIMIT 1") == 1);
  CHECK(count(db, "SELECT m IS NULL AND elements = 1000 FROM sim_layer_results WHERE layer = 'sm'") == 1);
  CHECK(count(db, "SELECT total_cycles FROM sim_layer_results WHERE layer = 'sm'") == 107);
  CHECK(count(db, "SELECT sum(total_cycles) FROM sim_totals") == 642);
  CHECK(count(db, "SELECT seed FROM sim_runs WHERE id = 1") == INT64_MIN);  // 2^63 as its two's complement
  CHECK(count(db, "SELECT version FROM schema_versions WHERE component = 'sim'") == st::kSimSchemaVersion);
  CHECK(count(db, "SELECT count(*) FROM sim_runs WHERE time LIKE '____-__-__T__:__:__.___Z'") == 2);
  st::Statement mode = db.prepare("PRAGMA journal_mode");
  REQUIRE(mode.step());
  CHECK(mode.column_text(0) == "wal");
}

TEST_CASE("sim store: a failing run writes nothing; newer schemas and bad files are refused", "[store]") {
  const fs::path path = fresh("refuse.db");
  st::Database db(path.string());
  const st::SimRunInfo info{"v", "c", "a", "w", "analytical", "pesim", 1, 1, 1, 0};
  st::record_sim_run(db, info, {row("fc", false)}, {});
  st::SimLayerRow bad = row("bad", true);
  bad.unit = "gpu";  // violates the CHECK constraint after the run row was inserted
  CHECK_THROWS_AS(st::record_sim_run(db, info, {row("ok", false), bad}, {}), st::StoreError);
  CHECK(count(db, "SELECT count(*) FROM sim_runs") == 1);
  CHECK(count(db, "SELECT count(*) FROM sim_layer_results") == 1);
  db.exec("UPDATE schema_versions SET version = 99 WHERE component = 'sim'");
  CHECK_THROWS_WITH(st::record_sim_run(db, info, {}, {}), Contains("sim tables are schema version 99"));

  CHECK_THROWS_WITH(st::Database("/nonexistent-pesim-dir/x.db"), Contains("/nonexistent-pesim-dir/x.db: cannot open"));
  const fs::path text = fresh("not_a_db.txt");
  std::ofstream(text) << "hello, this is not SQLite\n";
  CHECK_THROWS_WITH(st::Database(text.string()), Contains("not a database"));
  std::ifstream in(text);
  std::stringstream content;
  content << in.rdbuf();
  CHECK(content.str() == "hello, this is not SQLite\n");
}

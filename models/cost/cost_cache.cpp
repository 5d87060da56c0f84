// SPDX-License-Identifier: Apache-2.0
#include "models/cost/cost_cache.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>

namespace pesim::cost {

namespace {

uint64_t fnv1a(const std::string& text, uint64_t hash = 0xcbf29ce484222325ull) {
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 0x100000001b3ull;
  }
  return hash;
}

// "NAME=count;NAME=count" and back.
std::string counts_text(const std::map<std::string, int64_t>& counts) {
  std::string text;
  for (const auto& [name, count] : counts) text += name + "=" + std::to_string(count) + ";";
  return text;
}

std::map<std::string, int64_t> counts_from_text(const std::string& text) {
  std::map<std::string, int64_t> counts;
  std::istringstream in(text);
  for (std::string item; std::getline(in, item, ';');) {
    const size_t eq = item.find('=');
    if (eq != std::string::npos) counts[item.substr(0, eq)] = std::stoll(item.substr(eq + 1));
  }
  return counts;
}

struct Statement {
  sqlite3_stmt* stmt = nullptr;
  ~Statement() { sqlite3_finalize(stmt); }
};

}  // namespace

std::string yosys_version() {
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen("yosys -V 2>/dev/null", "r"), pclose);
  if (!pipe) return "unknown";
  std::array<char, 256> buffer{};
  std::string out;
  while (fgets(buffer.data(), buffer.size(), pipe.get())) out += buffer.data();
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out.empty() ? "unknown" : out;
}

std::string cost_key(const pe::PeInstance& pe, const Technology& tech, const std::string& tool_version) {
  uint64_t h = fnv1a(pe.rtl.top_module);
  for (const auto& file : rtl_sources(pe)) h = fnv1a(read_text_file(file), h);
  for (const auto& [name, value] : pe.rtl.parameters) h = fnv1a(name + "=" + std::to_string(value) + ";", h);
  for (const auto& [name, value] : pe.rtl.cost_parameters) h = fnv1a(name + ":" + std::to_string(value) + ";", h);
  h = fnv1a(tech.name, h);
  h = fnv1a(read_text_file(tech.liberty_path), h);
  h = fnv1a(tech.flow, h);
  h = fnv1a(tech.yosys_commands, h);
  h = fnv1a(tool_version, h);
  return fmt::format("{:016x}", h);
}

CostCache::CostCache(const std::string& path) : m_path(path) {
  if (sqlite3_open(path.c_str(), &m_db) != SQLITE_OK) {
    const std::string message = m_db ? sqlite3_errmsg(m_db) : "out of memory";
    sqlite3_close(m_db);
    m_db = nullptr;
    throw std::runtime_error(path + ": cannot open the cost cache: " + message);
  }
  sqlite3_busy_timeout(m_db, 10000);
  exec("PRAGMA journal_mode=WAL");
  exec("PRAGMA synchronous=NORMAL");
  exec(
      "CREATE TABLE IF NOT EXISTS synthesis (key TEXT PRIMARY KEY, pe TEXT NOT NULL, params TEXT NOT NULL, "
      "tech TEXT NOT NULL, area_um2 REAL NOT NULL, delay_ns REAL NOT NULL, leakage_nw REAL NOT NULL, "
      "cells INTEGER NOT NULL, flops INTEGER NOT NULL, synthesis_s REAL NOT NULL, tool TEXT NOT NULL, "
      "created TEXT NOT NULL DEFAULT (datetime('now')), cell_counts TEXT NOT NULL DEFAULT '')");
  // Caches written before cell counts were kept: add the column (their rows read back with no counts).
  if (!has_column("synthesis", "cell_counts"))
    exec("ALTER TABLE synthesis ADD COLUMN cell_counts TEXT NOT NULL DEFAULT ''");
  // Likewise for the mapped netlist (rows without one are re-synthesized when a netlist is needed).
  if (!has_column("synthesis", "netlist")) exec("ALTER TABLE synthesis ADD COLUMN netlist TEXT NOT NULL DEFAULT ''");
}

bool CostCache::has_column(const std::string& table, const std::string& column) const {
  Statement s;
  sqlite3_prepare_v2(m_db, ("PRAGMA table_info(" + table + ")").c_str(), -1, &s.stmt, nullptr);
  while (sqlite3_step(s.stmt) == SQLITE_ROW) {
    if (column == reinterpret_cast<const char*>(sqlite3_column_text(s.stmt, 1))) return true;
  }
  return false;
}

CostCache::~CostCache() { sqlite3_close(m_db); }

void CostCache::exec(const std::string& sql) const {
  char* error = nullptr;
  if (sqlite3_exec(m_db, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    const std::string message = error ? error : "unknown error";
    sqlite3_free(error);
    throw std::runtime_error(m_path + ": " + message);
  }
}

std::optional<SynthesisResult> CostCache::find(const std::string& key) const {
  Statement s;
  sqlite3_prepare_v2(
      m_db,
      "SELECT area_um2, delay_ns, leakage_nw, cells, flops, synthesis_s, tool, cell_counts, netlist FROM synthesis "
      "WHERE key = ?",
      -1, &s.stmt, nullptr);
  sqlite3_bind_text(s.stmt, 1, key.c_str(), -1, SQLITE_TRANSIENT);
  if (sqlite3_step(s.stmt) != SQLITE_ROW) return std::nullopt;
  SynthesisResult r;
  r.area_um2 = sqlite3_column_double(s.stmt, 0);
  r.delay_ns = sqlite3_column_double(s.stmt, 1);
  r.leakage_nw = sqlite3_column_double(s.stmt, 2);
  r.cells = sqlite3_column_int64(s.stmt, 3);
  r.flops = sqlite3_column_int64(s.stmt, 4);
  r.synthesis_seconds = sqlite3_column_double(s.stmt, 5);
  r.tool_version = reinterpret_cast<const char*>(sqlite3_column_text(s.stmt, 6));
  r.cell_counts = counts_from_text(reinterpret_cast<const char*>(sqlite3_column_text(s.stmt, 7)));
  r.netlist = reinterpret_cast<const char*>(sqlite3_column_text(s.stmt, 8));
  return r;
}

void CostCache::store(const std::string& key, const pe::PeInstance& pe, const Technology& tech,
                      const SynthesisResult& r) {
  Statement s;
  if (sqlite3_prepare_v2(m_db,
                         "INSERT OR REPLACE INTO synthesis (key, pe, params, tech, area_um2, delay_ns, leakage_nw, "
                         "cells, flops, synthesis_s, tool, cell_counts, netlist) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         -1, &s.stmt, nullptr) != SQLITE_OK) {
    throw std::runtime_error(m_path + ": " + sqlite3_errmsg(m_db));
  }
  const std::string params = pe.params_text();
  sqlite3_bind_text(s.stmt, 1, key.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(s.stmt, 2, pe.kind.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(s.stmt, 3, params.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(s.stmt, 4, tech.name.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_double(s.stmt, 5, r.area_um2);
  sqlite3_bind_double(s.stmt, 6, r.delay_ns);
  sqlite3_bind_double(s.stmt, 7, r.leakage_nw);
  sqlite3_bind_int64(s.stmt, 8, r.cells);
  sqlite3_bind_int64(s.stmt, 9, r.flops);
  sqlite3_bind_double(s.stmt, 10, r.synthesis_seconds);
  sqlite3_bind_text(s.stmt, 11, r.tool_version.c_str(), -1, SQLITE_TRANSIENT);
  const std::string counts = counts_text(r.cell_counts);
  sqlite3_bind_text(s.stmt, 12, counts.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(s.stmt, 13, r.netlist.c_str(), -1, SQLITE_TRANSIENT);
  if (sqlite3_step(s.stmt) != SQLITE_DONE) throw std::runtime_error(m_path + ": " + sqlite3_errmsg(m_db));
}

std::optional<CostCache::EnergyRecord> CostCache::find_energy(const std::string& key) const {
  Statement s;
  // No energy table yet (a cache from before estimates were kept, or one never written to): a miss.
  if (sqlite3_prepare_v2(m_db, "SELECT has_estimate, energy_per_op_pj, dataflow, source FROM energy WHERE key = ?", -1,
                         &s.stmt, nullptr) != SQLITE_OK) {
    return std::nullopt;
  }
  sqlite3_bind_text(s.stmt, 1, key.c_str(), -1, SQLITE_TRANSIENT);
  if (sqlite3_step(s.stmt) != SQLITE_ROW) return std::nullopt;
  EnergyRecord r;
  r.has_estimate = sqlite3_column_int(s.stmt, 0) != 0;
  r.energy_per_op_pj = sqlite3_column_double(s.stmt, 1);  // an 8-byte IEEE double: stored and read back exactly
  r.dataflow = reinterpret_cast<const char*>(sqlite3_column_text(s.stmt, 2));
  r.source = reinterpret_cast<const char*>(sqlite3_column_text(s.stmt, 3));
  return r;
}

void CostCache::store_energy(const std::string& key, const EnergyRecord& record) {
  // Created on the first store, so that a read-only cache of synthesis results stays usable.
  exec(
      "CREATE TABLE IF NOT EXISTS energy (key TEXT PRIMARY KEY, has_estimate INTEGER NOT NULL, "
      "energy_per_op_pj REAL NOT NULL, dataflow TEXT NOT NULL, source TEXT NOT NULL, "
      "created TEXT NOT NULL DEFAULT (datetime('now')))");
  Statement s;
  if (sqlite3_prepare_v2(m_db,
                         "INSERT OR REPLACE INTO energy (key, has_estimate, energy_per_op_pj, dataflow, source) "
                         "VALUES (?, ?, ?, ?, ?)",
                         -1, &s.stmt, nullptr) != SQLITE_OK) {
    throw std::runtime_error(m_path + ": " + sqlite3_errmsg(m_db));
  }
  sqlite3_bind_text(s.stmt, 1, key.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int(s.stmt, 2, record.has_estimate ? 1 : 0);
  sqlite3_bind_double(s.stmt, 3, record.energy_per_op_pj);
  sqlite3_bind_text(s.stmt, 4, record.dataflow.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(s.stmt, 5, record.source.c_str(), -1, SQLITE_TRANSIENT);
  if (sqlite3_step(s.stmt) != SQLITE_DONE) throw std::runtime_error(m_path + ": " + sqlite3_errmsg(m_db));
}

SynthesisResult cached_synthesis(CostCache& cache, const pe::PeInstance& pe, const Technology& tech, bool& hit,
                                 bool need_netlist) {
  const std::string version = yosys_version();
  if (version == "unknown") throw std::runtime_error("yosys not found on PATH (Debian package yosys)");
  const std::string key = cost_key(pe, tech, version);
  if (auto stored = cache.find(key); stored && !(need_netlist && stored->netlist.empty())) {
    hit = true;
    return *stored;
  }
  hit = false;
  SynthesisResult r = synthesize(pe, tech);
  cache.store(key, pe, tech, r);
  return r;
}

}  // namespace pesim::cost

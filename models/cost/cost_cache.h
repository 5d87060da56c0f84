// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <optional>
#include <string>

#include "models/cost/synthesis.h"

struct sqlite3;

namespace pesim::cost {

// Synthesis results in SQLite, keyed by a hash of everything that decides them: the RTL text, the Verilog
// parameters, the technology, its liberty file, its flow and Yosys commands, and the tool version. WAL mode; each
// result is committed in its own transaction, so a crash mid-write loses at most that result and never corrupts the
// others.
class CostCache {
 public:
  explicit CostCache(const std::string& path);  // throws std::runtime_error naming the file
  ~CostCache();
  CostCache(const CostCache&) = delete;
  CostCache& operator=(const CostCache&) = delete;

  std::optional<SynthesisResult> find(const std::string& key) const;
  void store(const std::string& key, const pe::PeInstance& pe, const Technology& tech, const SynthesisResult& r);

  // A switching-activity energy estimate (a netlist driven by pesim's seeded stimulus), keyed by the caller with
  // everything that decides it, pesim's version included. `has_estimate` false: the stimulus never used the unit.
  struct EnergyRecord {
    bool has_estimate = false;
    double energy_per_op_pj = 0;
    std::string dataflow, source;  // the stimulus, as PortStimulus describes it
  };
  std::optional<EnergyRecord> find_energy(const std::string& key) const;  // nothing: not stored (or no table)
  void store_energy(const std::string& key, const EnergyRecord& record);  // throws std::runtime_error naming the file

 private:
  void exec(const std::string& sql) const;
  bool has_column(const std::string& table, const std::string& column) const;
  std::string m_path;
  sqlite3* m_db = nullptr;
};

// The cache key of a PE configuration in a technology (hex of a 64-bit FNV-1a hash).
std::string cost_key(const pe::PeInstance& pe, const Technology& tech, const std::string& tool_version);

// The version line of the installed Yosys ("Yosys 0.23 (git sha1 ...)").
std::string yosys_version();

// Synthesis through the cache: a hit returns the stored result without running Yosys. `need_netlist`: a stored
// result without its mapped netlist (cached before netlists were kept) is synthesized again and replaced.
SynthesisResult cached_synthesis(CostCache& cache, const pe::PeInstance& pe, const Technology& tech, bool& hit,
                                 bool need_netlist = false);

}  // namespace pesim::cost

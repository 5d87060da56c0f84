// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "dse/space/design_space.h"
#include "models/params/param.h"

namespace pesim::dse {

// A bad space spec; the message starts with FILE:LINE and names the key.
class SpaceError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Objective {
  std::string metric;  // one of metric_catalog() (dse/eval/metrics.h)
  bool maximize = false;
  std::string origin;  // FILE:LINE
};

// metric <= bound or metric >= bound; a design violating it is infeasible (still evaluated and stored).
struct Constraint {
  std::string metric;
  bool upper = true;  // true: metric <= bound; false: metric >= bound
  double bound = 0;
  std::string origin;
  bool satisfied_by(double value) const { return upper ? value <= bound : value >= bound; }
};

// What every design runs: `pesim sim`'s workload argument (zoo MODEL:PHASE, CNN name, or a .csv/.yaml/.json file
// relative to the spec's directory) and the zoo's batch and sequence length.
struct WorkloadSpec {
  std::string workload;
  int64_t batch = 1;
  int64_t sequence_length = 2048;
};

// How every design is timed: the analytical engine (closed-form cycle counts), or the cycle-level engine, which
// clocks the array with real operand values (seeded normal ones: layer i's from values_seed + 2 i, as
// `pesim sim --engine cycle --seed` draws them) and counts DRAM stalls fold by fold. The vector unit's ops are
// analytical under both.
struct EngineSpec {
  std::string name = "analytical";  // or "cycle"
  uint64_t values_seed = 1;
  std::string origin;  // FILE:LINE of `engine:`, for the evaluator's messages
  bool cycle() const { return name == "cycle"; }
};

// A design space as the user wrote it (pesim's space YAML; dse/README.md has the format): the parameters, the
// architecture settings each level applies, the fixed settings under them, the workload, the technology, the
// objectives and the constraints.
struct SpaceSpec {
  std::string name;
  std::string source;  // the file, or "<default>"
  std::string text;    // the YAML itself, stored with every run so that --resume needs no file
  DesignSpace space;
  // Per parameter, per level: the architecture settings it applies (a parameter named after an architecture key or
  // pe.KEY sets that key; a named-configuration parameter such as `pe` sets several).
  std::vector<std::vector<params::Settings>> level_settings;
  params::Settings base;  // the preset's and `set:`'s settings, under every design's own
  WorkloadSpec workload;
  EngineSpec engine;
  std::string technology;
  std::vector<Objective> objectives;
  std::vector<Constraint> constraints;

  // The architecture settings of a design: base, then each active parameter's level.
  params::Settings arch_settings(const Design& design) const;
  // "name=value, ..." over the design's active parameters, for people.
  std::string describe(const Design& design) const;
};

// Parses a spec; `source` names it in messages. Every parameter level is checked by building the architecture it
// configures. Throws SpaceError (FILE:LINE: key: what is wrong) for malformed YAML, an unknown key (with the nearest
// valid one), an empty range, a value the architecture refuses, an unknown metric, or contradictory constraints.
SpaceSpec parse_space(const std::string& yaml_text, const std::string& source);
SpaceSpec read_space_file(const std::string& path);
// pesim's built-in space (`pesim dse` with no --space; `pesim dse --print-space` prints its YAML).
const std::string& default_space_yaml();
SpaceSpec default_space();

}  // namespace pesim::dse

// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <deque>
#include <functional>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "dse/eval/evaluator.h"
#include "dse/search/strategy.h"
#include "dse/space/space_spec.h"
#include "dse/store/dse_store.h"

namespace pesim::dse {

// What the strategy sees of an evaluation: the objectives as minimized values (maximized metrics negated) and
// whether every constraint holds.
Observation observe(const SpaceSpec& spec, const Design& design, const Evaluation& evaluation);

// Evaluates a batch of designs; `done` is called once per design, as each finishes (in any order), with the
// design's position in the batch and the MPI rank that evaluated it (0 without MPI).
class EvaluationPool {
 public:
  using Done = std::function<void(size_t position, const Evaluation& evaluation, int rank)>;
  virtual ~EvaluationPool() = default;
  virtual void evaluate(const std::vector<Design>& designs, const Done& done) = 0;
  virtual int processes() const = 0;
  virtual std::string evaluator_name() const = 0;
};

// One process, one design after another.
class LocalPool : public EvaluationPool {
 public:
  explicit LocalPool(Evaluator& evaluator) : m_evaluator(evaluator) {}
  void evaluate(const std::vector<Design>& designs, const Done& done) override;
  int processes() const override { return 1; }
  std::string evaluator_name() const override { return m_evaluator.name(); }

 private:
  Evaluator& m_evaluator;
};

// Evaluations and the current Pareto front, as the sweep goes; a bar with an ETA on a terminal, else one plain line
// per batch.
class Progress {
 public:
  enum class Style { Bar, Lines, None };
  Progress(std::ostream& out, Style style, int64_t total) : m_out(out), m_style(style), m_total(total) {}
  // `done` evaluations of the total so far, `reused` of them from the store; `elapsed_seconds` since the sweep began.
  void update(int64_t done, int64_t reused, size_t front_size, double elapsed_seconds);
  void finish();

 private:
  static constexpr size_t kRecentUpdates = 5;  // the ETA's window: updates (batches) kept

  std::ostream& m_out;
  Style m_style;
  int64_t m_total;
  bool m_drawn = false;
  std::deque<std::pair<int64_t, double>> m_recent;  // (evaluations done here, elapsed seconds) at the last updates
};

struct SweepResult {
  std::vector<Design> designs;  // in the run's order
  std::vector<Evaluation> evaluations;
  std::vector<Observation> observations;
  int64_t evaluated = 0;  // by this process now
  int64_t reused = 0;     // found in the store (--resume)
};

// The ask/tell loop of one run: asks the strategy for batches until the budget is spent or it has nothing left,
// takes each design's evaluation from `stored` (a resumed run's, by design hash) or from the pool, stores every new
// evaluation in its own transaction as it finishes, and tells the strategy each batch in order. A stored
// evaluation found at another place in the run than the strategy now asks for it, another design asked for at a
// place the store holds, or stored evaluations the strategy never asks for again mean the replay diverged:
// std::runtime_error, nothing more is stored. Whatever the pool or the store throws is passed on.
SweepResult run_sweep(const SpaceSpec& spec, const RunInfo& run, Strategy& strategy, DseStore& store,
                      const std::map<std::string, StoredEvaluation>& stored, EvaluationPool& pool, Progress& progress);

// Indices of the feasible, successful observations on the Pareto front (minimized objectives).
std::vector<size_t> pareto_front(const std::vector<Observation>& observations);

}  // namespace pesim::dse

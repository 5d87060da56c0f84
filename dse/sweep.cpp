// SPDX-License-Identifier: Apache-2.0
#include "dse/sweep.h"

#include <fmt/format.h>

#include <chrono>
#include <stdexcept>

#include "dse/eval/metrics.h"
#include "dse/interrupt.h"
#include "dse/search/pareto.h"

namespace pesim::dse {

Observation observe(const SpaceSpec& spec, const Design& design, const Evaluation& evaluation) {
  Observation observation;
  observation.design = design;
  observation.failed = !evaluation.ok;
  for (const Objective& objective : spec.objectives) {
    const auto found = evaluation.metrics.find(objective.metric);
    const double value = found == evaluation.metrics.end() ? 0.0 : found->second;
    observation.objectives.push_back(objective.maximize ? -value : value);
    observation.objective_parts.push_back(part_values(objective.metric, evaluation.metrics));
  }
  observation.feasible = evaluation.ok;
  for (const Constraint& constraint : spec.constraints) {
    const auto found = evaluation.metrics.find(constraint.metric);
    if (found == evaluation.metrics.end() || !constraint.satisfied_by(found->second)) observation.feasible = false;
  }
  return observation;
}

void LocalPool::evaluate(const std::vector<Design>& designs, const Done& done) {
  for (size_t i = 0; i < designs.size(); ++i) done(i, m_evaluator.evaluate(designs[i]), 0);
}

void Progress::update(int64_t done, int64_t reused, size_t front_size, double elapsed_seconds) {
  if (m_style == Style::None) return;
  // The rate of the last few batches: a model-guided strategy's asks grow slower as it learns from more designs, so
  // the run's average rate would promise too early an end.
  m_recent.emplace_back(done - reused, elapsed_seconds);
  if (m_recent.size() > kRecentUpdates) m_recent.pop_front();
  const auto [first_done, first_seconds] = m_recent.size() > 1 ? m_recent.front() : std::pair<int64_t, double>{0, 0};
  const int64_t recent_done = done - reused - first_done;
  const double per_evaluation =
      recent_done > 0 ? (elapsed_seconds - first_seconds) / static_cast<double>(recent_done) : 0.0;
  const int64_t eta_seconds = static_cast<int64_t>(per_evaluation * static_cast<double>(m_total - done) + 0.5);
  const std::string eta = fmt::format("{}:{:02}:{:02}", eta_seconds / 3600, eta_seconds / 60 % 60, eta_seconds % 60);
  const std::string counts = fmt::format("{}/{} evaluations{}, front {}, ETA {}", done, m_total,
                                         reused > 0 ? fmt::format(" ({} resumed)", reused) : "", front_size, eta);
  if (m_style == Style::Lines) {
    m_out << "pesim dse: " << counts << "\n" << std::flush;
    return;
  }
  constexpr int kWidth = 30;
  const int filled = m_total > 0 ? static_cast<int>(kWidth * done / m_total) : kWidth;
  m_out << "\r[" << std::string(filled, '#') << std::string(kWidth - filled, ' ') << "] " << counts << "\033[K"
        << std::flush;
  m_drawn = true;
}

void Progress::finish() {
  if (m_drawn) m_out << "\n" << std::flush;
  m_drawn = false;
}

std::vector<size_t> pareto_front(const std::vector<Observation>& observations) {
  std::vector<size_t> candidates;
  std::vector<std::vector<double>> points;
  for (size_t i = 0; i < observations.size(); ++i) {
    if (observations[i].failed || !observations[i].feasible) continue;
    candidates.push_back(i);
    points.push_back(observations[i].objectives);
  }
  std::vector<size_t> front;
  for (size_t index : non_dominated(points)) front.push_back(candidates[index]);
  return front;
}

namespace {

// A resumed run's stored evaluations: by design hash, and the design key stored at each sequence number.
struct StoredRun {
  const std::map<std::string, StoredEvaluation>& by_hash;
  std::map<int64_t, std::string> key_at;
};

// One batch: stored evaluations reused, the others evaluated by the pool and stored as they finish. The whole batch
// is checked against the store before anything is evaluated.
void evaluate_batch(const SpaceSpec& spec, const RunInfo& run, DseStore& store, const StoredRun& stored,
                    EvaluationPool& pool, const std::vector<Design>& batch, int64_t first_sequence, int64_t batch_index,
                    SweepResult& result) {
  std::vector<Evaluation> evaluations(batch.size());
  std::vector<Design> missing;
  std::vector<size_t> missing_positions;
  for (size_t i = 0; i < batch.size(); ++i) {
    const int64_t sequence = first_sequence + static_cast<int64_t>(i);
    const auto found = stored.by_hash.find(spec.space.hash(batch[i]));
    if (found == stored.by_hash.end()) {
      // A new design where the store holds another: it would be refused (UNIQUE run, sequence) once evaluated.
      if (const auto other = stored.key_at.find(sequence); other != stored.key_at.end())
        throw std::runtime_error(fmt::format(
            "run {}: the replay diverged: the strategy asks for {} as evaluation {}, the store has {} there", run.id,
            spec.describe(batch[i]), sequence, other->second));
      missing.push_back(batch[i]);
      missing_positions.push_back(i);
      continue;
    }
    if (found->second.sequence != sequence)
      throw std::runtime_error(
          fmt::format("run {}: the replay diverged: the strategy asks for {} as evaluation {}, the store has it as {}",
                      run.id, spec.describe(batch[i]), sequence, found->second.sequence));
    evaluations[i] = found->second.evaluation;
    ++result.reused;
  }
  pool.evaluate(missing, [&](size_t position, const Evaluation& evaluation, int rank) {
    // A failure while a signal is pending may be the signal's doing (Ctrl-C reaches the synthesis tools too): it is
    // not stored, so --resume evaluates the design again.
    if (!evaluation.ok) stop_if_interrupted();
    const size_t i = missing_positions[position];
    evaluations[i] = evaluation;
    const bool feasible = observe(spec, batch[i], evaluation).feasible;
    store.record_evaluation(run, spec, batch[i], first_sequence + static_cast<int64_t>(i), batch_index, evaluation,
                            feasible, pool.evaluator_name(), rank);
    ++result.evaluated;
    stop_if_interrupted();
  });
  for (size_t i = 0; i < batch.size(); ++i) {
    result.designs.push_back(batch[i]);
    result.evaluations.push_back(evaluations[i]);
    result.observations.push_back(observe(spec, batch[i], evaluations[i]));
  }
}

void add_to_front(const std::vector<Observation>& observations, size_t index, std::vector<size_t>& front) {
  const Observation& candidate = observations[index];
  if (candidate.failed || !candidate.feasible) return;
  for (size_t member : front)
    if (dominates(observations[member].objectives, candidate.objectives) ||
        observations[member].objectives == candidate.objectives)
      return;
  std::erase_if(front, [&](size_t member) { return dominates(candidate.objectives, observations[member].objectives); });
  front.push_back(index);
}

}  // namespace

SweepResult run_sweep(const SpaceSpec& spec, const RunInfo& run, Strategy& strategy, DseStore& store,
                      const std::map<std::string, StoredEvaluation>& stored, EvaluationPool& pool, Progress& progress) {
  const auto start = std::chrono::steady_clock::now();
  StoredRun stored_run{stored, {}};
  for (const auto& [hash, evaluation] : stored) stored_run.key_at.emplace(evaluation.sequence, evaluation.design_key);
  SweepResult result;
  std::vector<size_t> front;  // kept as observations arrive: a full recomputation per batch would be quadratic
  int64_t batch_index = 0;
  while (static_cast<int64_t>(result.designs.size()) < run.budget) {
    stop_if_interrupted();
    const int64_t first = static_cast<int64_t>(result.designs.size());
    const std::vector<Design> batch = strategy.ask(static_cast<size_t>(std::min(run.batch_size, run.budget - first)));
    if (batch.empty()) break;
    evaluate_batch(spec, run, store, stored_run, pool, batch, first, batch_index++, result);
    strategy.tell({result.observations.begin() + first, result.observations.end()});
    for (size_t i = static_cast<size_t>(first); i < result.observations.size(); ++i)
      add_to_front(result.observations, i, front);
    const double elapsed_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    progress.update(static_cast<int64_t>(result.designs.size()), result.reused, front.size(), elapsed_seconds);
  }
  progress.finish();
  const size_t never_asked = stored.size() - static_cast<size_t>(result.reused);
  if (never_asked > 0)
    throw std::runtime_error(fmt::format(
        "run {}: the replay diverged: the strategy stopped after {} evaluations without asking for {} of the {} "
        "stored ones",
        run.id, result.designs.size(), never_asked, stored.size()));
  return result;
}

}  // namespace pesim::dse

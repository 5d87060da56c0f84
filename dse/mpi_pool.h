// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <string>

#include "dse/sweep.h"

namespace pesim::dse {

// `pesim dse --mpi` under mpirun: rank 0 runs the strategy, hands designs out and writes the store; every other
// rank evaluates what it is sent. Rank 0 evaluates too while all others are busy, so that 2 processes are faster
// than 1. Results are keyed by position in the batch and told in order, so a run's designs and results are those
// of a single-process run with the same seed.
class MpiPool : public EvaluationPool {
 public:
  // Rank 0 only; the workers are in mpi_worker_loop.
  MpiPool(Evaluator& evaluator, const SpaceSpec& spec, int processes);
  ~MpiPool() override;  // tells the workers to stop
  void evaluate(const std::vector<Design>& designs, const Done& done) override;
  int processes() const override { return m_processes; }
  std::string evaluator_name() const override { return m_evaluator.name(); }
  // No worker holds a design: false after evaluate() threw (`done` or a result's decoding) while workers were
  // still evaluating. Their results are never received then, so the job must end by mpi_abort(): stopping the
  // workers and MPI_Finalize could wait for those results forever.
  bool idle() const { return m_busy_workers == 0; }

 private:
  Evaluator& m_evaluator;
  const SpaceSpec& m_spec;
  int m_processes;
  int m_busy_workers = 0;  // designs handed out whose results are not received yet
};

// MPI_Init, this process's rank and the number of processes; mpi_finish() calls MPI_Finalize.
void mpi_start(int& rank, int& processes);
void mpi_finish();
// Ends every rank of the job with exit status `status` (MPI_Abort): for a failure that leaves other ranks waiting.
[[noreturn]] void mpi_abort(int status);
// Rank 0 sends the spec's YAML, its source name and the cost cache's path to every worker.
void mpi_share_setup(std::string& space_yaml, std::string& source, std::string& cost_db);
// A worker's life: receive designs (by index in the space), evaluate, send back the result, until told to stop.
void mpi_worker_loop(Evaluator& evaluator, const SpaceSpec& spec);

}  // namespace pesim::dse

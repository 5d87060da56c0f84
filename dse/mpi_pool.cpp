// SPDX-License-Identifier: Apache-2.0
#include "dse/mpi_pool.h"

#include <mpi.h>

#include <bit>
#include <cstdlib>
#include <deque>
#include <nlohmann/json.hpp>
#include <vector>

namespace pesim::dse {
namespace {

constexpr int kTagWork = 1;    // rank 0 -> worker: [position, design index]
constexpr int kTagResult = 2;  // worker -> rank 0: JSON {position, ok, error, metrics, wall_seconds}
constexpr int kTagStop = 3;    // rank 0 -> worker: no more work

// Doubles travel as their bit patterns: exact, and JSON has no infinity or NaN (nlohmann writes them as null).
uint64_t bits_of(double value) { return std::bit_cast<uint64_t>(value); }
double double_of(uint64_t bits) { return std::bit_cast<double>(bits); }

std::string encode(uint64_t position, const Evaluation& e) {
  nlohmann::json metrics = nlohmann::json::object();
  for (const auto& [name, value] : e.metrics) metrics[name] = bits_of(value);
  // An error message is whatever a tool printed: bytes that are not UTF-8 are replaced rather than thrown on.
  return nlohmann::json{{"position", position},
                        {"ok", e.ok},
                        {"error", e.error},
                        {"metrics", metrics},
                        {"wall_seconds", bits_of(e.wall_seconds)}}
      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Evaluation decode(const std::string& text, uint64_t& position) {
  const nlohmann::json j = nlohmann::json::parse(text);
  position = j.at("position").get<uint64_t>();
  Evaluation e;
  e.ok = j.at("ok").get<bool>();
  e.error = j.at("error").get<std::string>();
  for (const auto& [name, bits] : j.at("metrics").items()) e.metrics[name] = double_of(bits.get<uint64_t>());
  e.wall_seconds = double_of(j.at("wall_seconds").get<uint64_t>());
  return e;
}

void send_text(const std::string& text, int destination, int tag) {
  MPI_Send(text.data(), static_cast<int>(text.size()), MPI_CHAR, destination, tag, MPI_COMM_WORLD);
}

std::string receive_text(int source, int tag, MPI_Status& status) {
  MPI_Probe(source, tag, MPI_COMM_WORLD, &status);
  int length = 0;
  MPI_Get_count(&status, MPI_CHAR, &length);
  std::string text(static_cast<size_t>(length), '\0');
  MPI_Recv(text.data(), length, MPI_CHAR, status.MPI_SOURCE, status.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  return text;
}

void broadcast_text(std::string& text) {
  uint64_t length = text.size();
  MPI_Bcast(&length, 1, MPI_UINT64_T, 0, MPI_COMM_WORLD);
  text.resize(length);
  MPI_Bcast(text.data(), static_cast<int>(length), MPI_CHAR, 0, MPI_COMM_WORLD);
}

}  // namespace

MpiPool::MpiPool(Evaluator& evaluator, const SpaceSpec& spec, int processes)
    : m_evaluator(evaluator), m_spec(spec), m_processes(processes) {}

MpiPool::~MpiPool() {
  for (int rank = 1; rank < m_processes; ++rank) MPI_Send(nullptr, 0, MPI_UINT64_T, rank, kTagStop, MPI_COMM_WORLD);
}

void MpiPool::evaluate(const std::vector<Design>& designs, const Done& done) {
  std::deque<uint64_t> pending;
  for (uint64_t i = 0; i < designs.size(); ++i) pending.push_back(i);
  const auto hand_out = [&](int rank) {
    const uint64_t work[2] = {pending.front(), m_spec.space.index_of(designs[pending.front()])};
    pending.pop_front();
    MPI_Send(work, 2, MPI_UINT64_T, rank, kTagWork, MPI_COMM_WORLD);
    ++m_busy_workers;
  };
  for (int rank = 1; rank < m_processes && !pending.empty(); ++rank) hand_out(rank);
  while (m_busy_workers > 0 || !pending.empty()) {
    int arrived = 0;
    MPI_Status status;
    MPI_Iprobe(MPI_ANY_SOURCE, kTagResult, MPI_COMM_WORLD, &arrived, &status);
    if (!arrived && !pending.empty()) {  // every worker is busy: rank 0 takes a design itself
      const uint64_t position = pending.back();
      pending.pop_back();
      done(position, m_evaluator.evaluate(designs[position]), 0);
      continue;
    }
    const std::string text = receive_text(MPI_ANY_SOURCE, kTagResult, status);
    --m_busy_workers;
    uint64_t position = 0;
    const Evaluation evaluation = decode(text, position);
    if (!pending.empty()) hand_out(status.MPI_SOURCE);
    done(position, evaluation, status.MPI_SOURCE);
  }
}

void mpi_start(int& rank, int& processes) {
  MPI_Init(nullptr, nullptr);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &processes);
}

void mpi_finish() { MPI_Finalize(); }

void mpi_abort(int status) {
  MPI_Abort(MPI_COMM_WORLD, status);
  std::_Exit(status);  // MPI_Abort does not return; should it, this process still must not go on
}

void mpi_share_setup(std::string& space_yaml, std::string& source, std::string& cost_db) {
  broadcast_text(space_yaml);
  broadcast_text(source);
  broadcast_text(cost_db);
}

void mpi_worker_loop(Evaluator& evaluator, const SpaceSpec& spec) {
  while (true) {
    MPI_Status status;
    MPI_Probe(0, MPI_ANY_TAG, MPI_COMM_WORLD, &status);
    if (status.MPI_TAG == kTagStop) {
      MPI_Recv(nullptr, 0, MPI_UINT64_T, 0, kTagStop, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      return;
    }
    uint64_t work[2] = {0, 0};
    MPI_Recv(work, 2, MPI_UINT64_T, 0, kTagWork, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    send_text(encode(work[0], evaluator.evaluate(spec.space.design_at(work[1]))), 0, kTagResult);
  }
}

}  // namespace pesim::dse

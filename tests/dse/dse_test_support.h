// SPDX-License-Identifier: Apache-2.0
// Helpers shared by the DSE tests: a small space spec and temporary SQLite files.
#pragma once
#include <filesystem>
#include <string>

namespace pesim::dse::test {

// A space spec without its `name:` line: 4 x 4 x 3 int8 arrays (rows, cols, dataflow), latency against energy, at
// most 3 mm2. A test prepends its own name.
inline const std::string kSmallSpaceBody = R"(workload: llama2-7b:decode
arch: int8
parameters:
  rows: {min: 8, max: 64, scale: log2}
  cols: {min: 8, max: 64, scale: log2}
  dataflow: [ws, os, is]
objectives:
  - minimize: latency_ms
  - minimize: energy_uj
constraints:
  - area_mm2 <= 3
)";

// A file in the temporary directory, with SQLite's -wal and -shm companions: none of them exists after
// construction (leftovers of an earlier run are removed) nor after destruction.
struct TempFile {
  std::string path;
  explicit TempFile(const std::string& name) : path((std::filesystem::temp_directory_path() / name).string()) {
    remove();
  }
  ~TempFile() { remove(); }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  void remove() const {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  }
};

}  // namespace pesim::dse::test

// SPDX-License-Identifier: Apache-2.0
#include "models/params/input_file.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "models/params/param.h"

namespace pesim::params {

std::string read_input_file(const std::string& path, const std::string& what, uintmax_t max_bytes) {
  namespace fs = std::filesystem;
  std::error_code error;
  const fs::file_status status = fs::status(path, error);
  if (error || !fs::exists(status)) throw ParamError(path + ": cannot open the " + what);
  if (!fs::is_regular_file(status)) throw ParamError(path + ": the " + what + " is not a regular file");
  const uintmax_t size_bytes = fs::file_size(path, error);
  if (error) throw ParamError(path + ": cannot open the " + what);
  if (size_bytes == 0) throw ParamError(path + ": the " + what + " is empty");
  if (size_bytes > max_bytes) {
    throw ParamError(path + ": the " + what + " has " + std::to_string(size_bytes) + " bytes; pesim reads up to " +
                     std::to_string(max_bytes));
  }
  std::ifstream file(path, std::ios::binary);
  if (!file) throw ParamError(path + ": cannot open the " + what);
  std::ostringstream text;
  text << file.rdbuf();
  if (!file && !file.eof()) throw ParamError(path + ": cannot read the " + what);
  return text.str();
}

}  // namespace pesim::params

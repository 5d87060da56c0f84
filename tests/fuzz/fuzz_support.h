// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

namespace pesim::fuzz {

// The input as a file with `extension` (pesim's readers take paths and tell formats by extension): one file per
// process and extension, rewritten for every input, in /dev/shm when there is one.
inline std::string input_file(const uint8_t* data, size_t size, const std::string& extension) {
  static const std::filesystem::path directory =
      std::filesystem::is_directory("/dev/shm") ? "/dev/shm" : std::filesystem::temp_directory_path();
  const std::string path = (directory / ("pesim_fuzz_" + std::to_string(getpid()) + extension)).string();
  std::ofstream(path, std::ios::binary | std::ios::trunc)
      .write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  return path;
}

// The input's first line and the rest.
inline std::pair<std::string, std::string> first_line(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const size_t end = text.find('\n');
  if (end == std::string::npos) return {text, ""};
  return {text.substr(0, end), text.substr(end + 1)};
}

}  // namespace pesim::fuzz

// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <cstdint>
#include <string>

namespace pesim::params {

// The largest text input pesim reads whole (an architecture, topology, workload or space file): far above any real
// one, and small enough that a wrong path (/dev/zero, a disk image) is refused at once instead of filling memory.
constexpr uintmax_t kMaxInputFileBytes = uintmax_t{64} << 20;

// The whole of the text input file at `path` (`what` names it in messages: "architecture file"). Throws ParamError
// naming the path when it cannot be opened, is not a regular file (a directory, a device, a pipe), is empty, or is
// larger than `max_bytes`.
std::string read_input_file(const std::string& path, const std::string& what, uintmax_t max_bytes = kMaxInputFileBytes);

}  // namespace pesim::params

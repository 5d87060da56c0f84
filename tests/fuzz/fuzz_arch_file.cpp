// SPDX-License-Identifier: Apache-2.0
// Architecture files (pesim --arch FILE.cfg or FILE.yaml): SCALE-Sim .cfg or pesim YAML, then the architecture they
// describe, PE included.
#include "models/array/arch.h"
#include "models/params/param.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    const bool cfg = size > 0 && data[0] == '[';  // SCALE-Sim .cfg files open with a [section]
    const std::string path = pesim::fuzz::input_file(data, size, cfg ? ".cfg" : ".yaml");
    pesim::array::load_arch(path, {});
  } catch (const pesim::params::ParamError&) {
  }
  return 0;
}

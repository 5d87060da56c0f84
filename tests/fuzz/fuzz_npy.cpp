// SPDX-License-Identifier: Apache-2.0
// .npy tensors (pesim sim/error/cost --npy).
#include <stdexcept>

#include "tests/fuzz/fuzz_support.h"
#include "workloads/tensors/npy.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    pesim::workloads::read_npy(pesim::fuzz::input_file(data, size, ".npy"));
  } catch (const pesim::workloads::NpyError&) {  // a refusal naming the file
  }
  return 0;
}

// SPDX-License-Identifier: Apache-2.0
// pesim eval: line 1 is the operation (add.bf16, cast.fixed, ...), line 2 the --set text, the rest its stdin.
#include <sstream>

#include "sim/eval/eval_command.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto [op, rest] = pesim::fuzz::first_line(data, size);
  const auto [settings, lines] = pesim::fuzz::first_line(reinterpret_cast<const uint8_t*>(rest.data()), rest.size());
  pesim::eval::EvalRequest request;
  request.op = op;
  if (!settings.empty()) request.settings = {settings};
  request.print_flags = (size % 2) == 1;
  std::istringstream in(lines);
  std::ostringstream out, err;
  pesim::eval::run_eval(request, in, out, err);  // refusals are its exit status and message, never exceptions
  return 0;
}

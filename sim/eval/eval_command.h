// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <iosfwd>
#include <string>
#include <vector>

namespace pesim::eval {

// `pesim eval OP.FMT`: TestFloat-style hex vectors through the numeric core.
//   add.F mul.F fma.F        operands "a b" / "a b c" in format F, result in F
//   fma.A.C                  a, b in A; c and the result in C (one rounding, as in a PE's accumulator)
//   cvt.SRC.DST              operand "a" in SRC, result in DST
//   cast.fixed / cast.ufixed one decimal real per line; prints "input raw_hex value"
// Settings (`--set k=v,...`): rm=rne|rtz|rdn|rup|rmm, ftz, daz, and the formats' own options; a format option
// may be prefixed by its role (src./dst. for cvt, ab./c. for fma.A.C) to apply to one format only.
struct EvalRequest {
  std::string op;
  std::vector<std::string> settings;  // raw --set arguments
  bool print_flags = false;           // append TestFloat's hex flags byte after the result
  std::string input_name = "<stdin>";
};

// Streams `in` to `out` line by line. A malformed line stops the run with a message naming input, line and
// field on `err`; lines already written stay written. Returns the process exit status.
int run_eval(const EvalRequest& request, std::istream& in, std::ostream& out, std::ostream& err);

}  // namespace pesim::eval

// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <iosfwd>
#include <string>

namespace pesim::cli {

// `pesim list TOPIC`: prints what pesim knows about TOPIC (formats), with every parameter's declaration.
int run_list(const std::string& topic, std::ostream& out, std::ostream& err);

}  // namespace pesim::cli

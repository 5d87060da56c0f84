// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <string>
#include <vector>

namespace pesim::cost {

// A technology the cost flow maps designs onto: a standard-cell liberty file and what it describes.
struct Technology {
  std::string name;
  std::string description;
  std::string liberty_path;
};

const std::vector<Technology>& technologies();

// Throws std::invalid_argument naming the unknown technology and the known ones.
const Technology& find_technology(const std::string& name);

}  // namespace pesim::cost

// SPDX-License-Identifier: Apache-2.0
#include "models/cost/technology.h"

#include <stdexcept>

namespace pesim::cost {

const std::vector<Technology>& technologies() {
  static const std::vector<Technology> techs{
      {"ihp_sg13g2", "IHP SG13G2 130 nm CMOS standard cells, typical corner, 1.20 V, 25 C",
       PESIM_SOURCE_DIR "/models/cost/tech/cmos/sg13g2_stdcell_typ_1p20V_25C.lib"},
  };
  return techs;
}

const Technology& find_technology(const std::string& name) {
  std::string known;
  for (const Technology& t : technologies()) {
    if (t.name == name) return t;
    known += (known.empty() ? "" : ", ") + t.name;
  }
  throw std::invalid_argument("unknown technology '" + name + "' (known: " + known + ")");
}

}  // namespace pesim::cost

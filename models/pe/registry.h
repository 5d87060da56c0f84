// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <string>
#include <vector>

#include "models/params/param.h"
#include "models/pe/pe.h"

namespace pesim::pe {

// One PE kind: its name, what it is, its parameters (declared once; they drive parsing, `pesim list pes`, the
// database columns and DSE spaces) and how to build a configured instance from checked parameter values.
struct PeKind {
  std::string name;
  std::string help;
  std::vector<params::ParamSpec> (*param_specs)();
  // Throws params::ParamError for an impossible combination of parameters.
  PeInstance (*make)(const params::ParamValues& values);
};

// Every PE kind, in the order `pesim list pes` prints them. The table is explicit (no self-registration), and a
// test checks that every folder of models/pe/ appears in it.
const std::vector<PeKind>& pe_kinds();

// The parameters every PE kind has besides its own (the pipeline depth).
std::vector<params::ParamSpec> common_param_specs();

// Every parameter of `kind`: its own, then the common ones.
std::vector<params::ParamSpec> all_param_specs(const PeKind& kind);

// Builds a PE by kind name and user settings. Throws params::ParamError naming the unknown kind (with the nearest
// known one), an unknown key (with the nearest valid one) or a bad value, and where the setting came from.
PeInstance make_pe(const std::string& kind, const params::Settings& settings);

}  // namespace pesim::pe

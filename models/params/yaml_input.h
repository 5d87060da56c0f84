// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <yaml-cpp/yaml.h>

#include <string>

namespace pesim::params {

// The one YAML (or JSON) document of the input file at `path`, read through read_input_file(). Throws ParamError,
// "PATH:LINE: ...", for a syntax error, a second document (pesim would otherwise ignore it), a key repeated in one
// map (parsers disagree on which one wins, so pesim takes neither) and nesting deeper than yaml-cpp's guard.
// A file of comments only gives a null node.
YAML::Node load_yaml_input(const std::string& path, const std::string& what);
// The same checks on YAML text already in memory; `source` names it in messages as the path would.
YAML::Node parse_yaml_document(const std::string& text, const std::string& source);

}  // namespace pesim::params

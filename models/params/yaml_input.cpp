// SPDX-License-Identifier: Apache-2.0
#include "models/params/yaml_input.h"

#include <fmt/format.h>
#include <yaml-cpp/depthguard.h>

#include <map>
#include <set>
#include <vector>

#include "models/params/input_file.h"
#include "models/params/param.h"

namespace pesim::params {

namespace {

std::string at(const std::string& path, const YAML::Mark& mark) { return fmt::format("{}:{}", path, mark.line + 1); }

// Refuses a key given twice in one map, anywhere in the tree. An alias shares its anchor's node (same mark), so each
// node is visited once: a document of nested aliases is walked in its text's size, not in its expansion's.
void check_unique_keys(const YAML::Node& node, const std::string& path, std::set<int>& visited) {
  if (!node.IsMap() && !node.IsSequence()) return;
  if (!visited.insert(node.Mark().pos).second) return;
  if (node.IsSequence()) {
    for (const YAML::Node& item : node) check_unique_keys(item, path, visited);
    return;
  }
  std::map<std::string, int> first_line;
  for (const auto& entry : node) {
    if (entry.first.IsScalar()) {
      const auto [where, inserted] = first_line.emplace(entry.first.Scalar(), entry.first.Mark().line + 1);
      if (!inserted) {
        throw ParamError(fmt::format("{}: key '{}' given twice (first at line {})", at(path, entry.first.Mark()),
                                     excerpt(entry.first.Scalar()), where->second));
      }
    }
    check_unique_keys(entry.second, path, visited);
  }
}

}  // namespace

YAML::Node load_yaml_input(const std::string& path, const std::string& what) {
  return parse_yaml_document(read_input_file(path, what), path);
}

YAML::Node parse_yaml_document(const std::string& text, const std::string& path) {
  std::vector<YAML::Node> documents;
  try {
    documents = YAML::LoadAll(text);
  } catch (const YAML::DeepRecursion& e) {
    throw ParamError(fmt::format("{}: nested more than {} levels deep", at(path, e.mark), e.depth() - 1));
  } catch (const YAML::Exception& e) {
    throw ParamError(fmt::format("{}: {}", at(path, e.mark), e.msg));
  }
  if (documents.empty()) return YAML::Node();
  if (documents.size() > 1) {
    throw ParamError(at(path, documents[1].Mark()) + ": a second YAML document; pesim reads one per file");
  }
  std::set<int> visited;
  check_unique_keys(documents[0], path, visited);
  return documents[0];
}

}  // namespace pesim::params

// SPDX-License-Identifier: Apache-2.0
#include "models/params/yaml_input.h"

#include <fmt/format.h>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>

#include <map>
#include <set>
#include <sstream>
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

// Events are ignored: the parser is only asked whether a second document follows the first.
class IgnoreEvents : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

// Whether the text holds more than one document. Asked of the parser at most twice: yaml-cpp 0.7's LoadAll() loops
// for ever on some malformed inputs (its parser keeps reporting a new document without consuming any text), which
// fuzzing found (tests/fuzz/regressions/*/loadall_*).
bool has_second_document(const std::string& text) {
  std::istringstream stream(text);
  YAML::Parser parser(stream);
  IgnoreEvents ignore;
  return parser.HandleNextDocument(ignore) && parser.HandleNextDocument(ignore);
}

}  // namespace

YAML::Node load_yaml_input(const std::string& path, const std::string& what) {
  return parse_yaml_document(read_input_file(path, what), path);
}

YAML::Node parse_yaml_document(const std::string& text, const std::string& path) {
  YAML::Node document;
  try {
    document = YAML::Load(text);
    if (has_second_document(text)) {
      throw ParamError(path + ": a second YAML document; pesim reads one per file");
    }
  } catch (const YAML::DeepRecursion& e) {
    throw ParamError(fmt::format("{}: nested more than {} levels deep", at(path, e.mark), e.depth() - 1));
  } catch (const YAML::Exception& e) {
    throw ParamError(fmt::format("{}: {}", at(path, e.mark), e.msg));
  }
  std::set<int> visited;
  check_unique_keys(document, path, visited);
  return document;
}

}  // namespace pesim::params

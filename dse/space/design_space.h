// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace pesim::dse {

// 64-bit FNV-1a of a text: stable across platforms and library versions, unlike std::hash. Design hashes
// (DesignSpace::hash) and the store's space hashes.
uint64_t fnv1a(const std::string& text);

// One dimension of a design space: a finite, ordered list of levels. Integer parameters (ranges with a step, or
// log scales) are ordered; categoricals (PE configuration, dataflow) are not.
struct Parameter {
  std::string name;                 // an architecture key ("rows"), a PE key ("pe.group_size") or a space's own name
  bool ordered = true;              // false: categorical
  std::vector<std::string> levels;  // each level's value as text
  std::vector<double> positions;    // ordered: each level's place on the axis the cost models see (log2 of the value
                                    // on a log scale, else the value); categorical: 0, 1, 2, ...
  // Conditional parameter: active only while parameter `when_parameter` holds one of `when_levels` (e.g. MixPE's
  // group size only for MixPE PEs). An inactive parameter is held at level 0 in canonical designs and is no feature.
  std::string when_parameter;
  std::vector<std::string> when_levels;
  std::string origin;  // FILE:LINE of its definition, for error messages
};

// A point of the space: the level index of each parameter, in the space's parameter order.
using Design = std::vector<int>;

// Hash of a design's levels, for sets of designs.
struct DesignHash {
  size_t operator()(const Design& design) const;
};

// A finite design space: the Cartesian product of its parameters' levels, with conditional parameters collapsed.
class DesignSpace {
 public:
  DesignSpace() = default;
  // Throws std::invalid_argument for an empty level list, positions that do not match, or a condition naming an
  // unknown parameter or level (the message names the parameter's origin).
  explicit DesignSpace(std::vector<Parameter> parameters);

  const std::vector<Parameter>& parameters() const { return m_parameters; }
  size_t dimensions() const { return m_parameters.size(); }
  // Points of the Cartesian product, inactive parameters included (an upper bound on distinct designs); saturates at
  // UINT64_MAX.
  uint64_t product_size() const;
  // The product is below 2^64 - 1, so design_at and index_of number it (spaces of hundreds of parameters, such as a
  // printed circuit's approximations, are not).
  bool indexable() const { return product_size() != UINT64_MAX; }

  bool is_active(const Design& design, size_t parameter) const;
  // The same design with every inactive parameter at level 0: two designs that configure the same hardware have
  // the same canonical form.
  Design canonical(const Design& design) const;
  bool is_canonical(const Design& design) const { return canonical(design) == design; }
  // A stable text key of the canonical design, "name=value;..." over active parameters, and its 64-bit FNV-1a hash
  // in hex: equal for equal hardware, across processes and runs.
  std::string key(const Design& design) const;
  std::string hash(const Design& design) const;
  // The design a key() names; throws std::invalid_argument for a parameter or value the space does not have.
  Design design_of_key(const std::string& key) const;

  // Mixed-radix numbering of the Cartesian product (parameter 0 varies slowest). Throw std::logic_error unless the
  // space is indexable().
  Design design_at(uint64_t index) const;
  uint64_t index_of(const Design& design) const;

  // The cost models' view of a design: ordered parameters as their position scaled to [0, 1] over the level range,
  // categoricals one-hot; inactive parameters contribute zeros. Length feature_count().
  std::vector<double> features(const Design& design) const;
  size_t feature_count() const;
  std::vector<std::string> feature_names() const;

  // Throws std::invalid_argument unless the design has one valid level per parameter.
  void check(const Design& design) const;

 private:
  std::vector<Parameter> m_parameters;
  std::vector<int> m_condition_parameter;             // index of when_parameter, or -1
  std::vector<std::vector<bool>> m_condition_levels;  // per parameter: which levels of its condition activate it
};

}  // namespace pesim::dse

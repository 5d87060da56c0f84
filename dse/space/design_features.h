// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <string>
#include <vector>

#include "dse/space/design_space.h"

namespace pesim::dse {

// What the cost models see of a design: a fixed-length vector of numbers, one per name(). Contract: deterministic
// (strategies replay runs exactly from their seed) and cheap next to an evaluation; a design whose architecture
// cannot be built still has features (the cost models never train on its failed evaluation).
class DesignFeatures {
 public:
  virtual ~DesignFeatures() = default;
  virtual std::vector<std::string> names() const = 0;
  virtual size_t count() const = 0;
  virtual std::vector<double> of(const Design& design) const = 0;
  // What they are, for people and the store ("the parameters", ...).
  virtual std::string description() const = 0;
};

// The space's parameters alone: DesignSpace::features.
class ParameterFeatures : public DesignFeatures {
 public:
  explicit ParameterFeatures(DesignSpace space) : m_space(std::move(space)) {}
  std::vector<std::string> names() const override { return m_space.feature_names(); }
  size_t count() const override { return m_space.feature_count(); }
  std::vector<double> of(const Design& design) const override { return m_space.features(design); }
  std::string description() const override { return "the parameters"; }

 private:
  DesignSpace m_space;
};

}  // namespace pesim::dse

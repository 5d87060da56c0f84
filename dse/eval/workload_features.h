// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <string>
#include <vector>

#include "dse/space/design_features.h"
#include "dse/space/space_spec.h"

namespace pesim::dse {

// The cost models' view of a design that knows the spec's workload: the parameters' features (DesignSpace::features),
// then log2 of the bits per element that the memories hold for activations and weights, then one 0/1 feature per
// distinct operand footprint of the workload's GEMMs (M x K inputs, K x N weights, M x N outputs; R x C the array):
// whether it fits half of its SRAM (the other half prefetches the next one). The footprints are each operand's
// whole matrix and its strips one array dimension wide (inputs M x R and R x K, weights R x N and K x C, outputs
// M x C and C x N): the slices that folds of the array share. Whether a slice stays on chip decides how often it
// crosses the DRAM interface, in steps no smooth function of the SRAM sizes follows; given the steps, a model learns
// the rest. A design whose architecture cannot be built has 0 for every feature after the parameters'.
class WorkloadFeatures : public DesignFeatures {
 public:
  // Loads the workload (its readers' errors: file, line, field).
  explicit WorkloadFeatures(const SpaceSpec& spec);

  std::vector<std::string> names() const override;
  size_t count() const override { return m_spec.space.feature_count() + 2 + m_footprints.size(); }
  std::vector<double> of(const Design& design) const override;
  std::string description() const override;

  // One distinct footprint: `elements` of its operand times the array's rows or columns (`array_factor` 'R' or
  // 'C') or times 1 (0).
  struct Footprint {
    enum Operand { ifmap, filter, ofmap } operand;
    int64_t elements;
    char array_factor;
    auto operator<=>(const Footprint&) const = default;
  };
  const std::vector<Footprint>& footprints() const { return m_footprints; }

 private:
  SpaceSpec m_spec;
  std::vector<Footprint> m_footprints;
};

}  // namespace pesim::dse

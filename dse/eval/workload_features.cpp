// SPDX-License-Identifier: Apache-2.0
#include "dse/eval/workload_features.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "models/array/arch.h"
#include "sim/analytical/analytical_engine.h"
#include "sim/analytical/workload_schedule.h"

namespace pesim::dse {
namespace {

using Footprint = WorkloadFeatures::Footprint;

// The nine footprints of one GEMM (see the class comment), deduplicated across GEMMs by the caller.
void add_footprints(const workloads::GemmDims& d, std::set<Footprint>& footprints) {
  footprints.insert({Footprint::ifmap, d.m * d.k, 0});
  footprints.insert({Footprint::ifmap, d.m, 'R'});
  footprints.insert({Footprint::ifmap, d.k, 'R'});
  footprints.insert({Footprint::filter, d.k * d.n, 0});
  footprints.insert({Footprint::filter, d.n, 'R'});
  footprints.insert({Footprint::filter, d.k, 'C'});
  footprints.insert({Footprint::ofmap, d.m * d.n, 0});
  footprints.insert({Footprint::ofmap, d.m, 'C'});
  footprints.insert({Footprint::ofmap, d.n, 'C'});
}

const char* operand_name(Footprint::Operand operand) {
  switch (operand) {
    case Footprint::ifmap:
      return "ifmap";
    case Footprint::filter:
      return "filter";
    case Footprint::ofmap:
      return "ofmap";
  }
  return "?";
}

bool fits_half(const Footprint& footprint, const array::ArchSpec& arch, const analytical::ElementBits& bits) {
  double elements = static_cast<double>(footprint.elements);
  if (footprint.array_factor == 'R') elements *= static_cast<double>(arch.rows);
  if (footprint.array_factor == 'C') elements *= static_cast<double>(arch.cols);
  const double element_bits = footprint.operand == Footprint::ifmap    ? bits.activation
                              : footprint.operand == Footprint::filter ? bits.weight
                                                                       : bits.output;
  const int64_t sram_bytes = footprint.operand == Footprint::ifmap    ? arch.ifmap_sram_bytes
                             : footprint.operand == Footprint::filter ? arch.filter_sram_bytes
                                                                      : arch.ofmap_sram_bytes;
  return analytical::fits_half_sram(elements, element_bits, sram_bytes);
}

}  // namespace

WorkloadFeatures::WorkloadFeatures(const SpaceSpec& spec) : m_spec(spec) {
  const analytical::Schedule schedule = analytical::split_schedule(
      analytical::load_workload(spec.workload.workload, spec.workload.batch, spec.workload.sequence_length));
  std::set<Footprint> footprints;
  for (const workloads::LayerSpec& layer : schedule.layers)
    add_footprints(workloads::gemm_dims(layer, workloads::OutputSizeRule::Floor), footprints);
  m_footprints.assign(footprints.begin(), footprints.end());
}

std::vector<std::string> WorkloadFeatures::names() const {
  std::vector<std::string> names = m_spec.space.feature_names();
  names.push_back("log2_activation_bits");
  names.push_back("log2_weight_bits");
  for (const Footprint& f : m_footprints)
    names.push_back(f.array_factor ? fmt::format("fits.{}.{}x{}", operand_name(f.operand), f.elements, f.array_factor)
                                   : fmt::format("fits.{}.{}", operand_name(f.operand), f.elements));
  return names;
}

std::string WorkloadFeatures::description() const {
  return fmt::format("the parameters and {} workload footprints", m_footprints.size());
}

std::vector<double> WorkloadFeatures::of(const Design& design) const {
  std::vector<double> features = m_spec.space.features(design);
  features.reserve(count());
  try {
    const array::ArchSpec arch = array::make_arch(m_spec.arch_settings(design));
    const analytical::ElementBits bits = analytical::element_bits(arch.pe);
    features.push_back(std::log2(bits.activation));
    features.push_back(std::log2(bits.weight));
    for (const Footprint& footprint : m_footprints) features.push_back(fits_half(footprint, arch, bits) ? 1.0 : 0.0);
  } catch (const std::exception&) {  // an architecture the PE refuses: its evaluation fails too
    features.resize(m_spec.space.feature_count());
    features.resize(count(), 0.0);
  }
  return features;
}

}  // namespace pesim::dse

// SPDX-License-Identifier: Apache-2.0
#include "sim/analytical/analytical_engine.h"

#include <algorithm>
#include <cmath>

namespace pesim::analytical {

namespace {

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

struct Mapping {
  int64_t spatial_rows = 0, spatial_cols = 0, temporal = 0;  // Sr, Sc, T
};

// `reduction`: the PE operations one output's reduction takes (K, or fewer with lanes, more with extra operations).
Mapping map_layer(array::Dataflow dataflow, const workloads::GemmDims& d, int64_t reduction) {
  switch (dataflow) {
    case array::Dataflow::OutputStationary:
      return {d.m, d.n, reduction};
    case array::Dataflow::InputStationary:
      return {reduction, d.m, d.n};
    case array::Dataflow::WeightStationary:
      break;
  }
  return {reduction, d.n, d.m};
}

// A lane-packed PE does `lanes` MACs of the reduction per operation; MixPE adds one DEQUANT per group of G.
int64_t reduction_operations(const pe::PeInstance& pe, int64_t k) {
  const double per_mac = pe.timing.operations_per_mac / pe.core->widths().lanes;
  return std::max<int64_t>(1, static_cast<int64_t>(std::ceil(static_cast<double>(k) * per_mac - 1e-9)));
}

int64_t bytes(double elements, double bits) { return static_cast<int64_t>(std::ceil(elements * bits / 8)); }

// Cycles of one fold whose tile uses `rows` x `cols` PEs (the last fold along each dimension may use fewer).
int64_t fold_cycles(const array::ArchSpec& arch, const Mapping& map, int64_t rows, int64_t cols,
                    Convention convention) {
  const int64_t r = arch.rows, c = arch.cols;
  const bool os = arch.dataflow == array::Dataflow::OutputStationary;
  if (convention == Convention::ScaleSim) return (os ? r : 2 * r) + c + map.temporal - 2;
  const int64_t latency = arch.pe.timing.latency_cycles;
  const int64_t interval = arch.pe.timing.initiation_interval_cycles;
  // os: a PE accumulates in place, so a step waits for the previous one to leave its pipeline (L) or its datapath
  // (II); the last step starts after the skew of both operand streams and takes L cycles.
  if (os) return (map.temporal - 1) * std::max(interval, latency) + rows + cols - 2 + latency;
  // ws, is: R cycles of weight load, then the last streamed row, entering II cycles after the one before it, reaches
  // row R-1 after L cycles of skew, crosses `cols` columns and leaves the PE's L pipeline stages (the cycle
  // engine's schedule, cycle for cycle).
  return r + r * latency + cols + (map.temporal - 1) * interval - 1;
}

Traffic sram_traffic(const array::ArchSpec& arch, const workloads::GemmDims& d, const ElementBits& bits) {
  const double m = static_cast<double>(d.m), n = static_cast<double>(d.n), k = static_cast<double>(d.k);
  const double row_folds_k = static_cast<double>(ceil_div(d.k, arch.rows));
  Traffic t;
  switch (arch.dataflow) {
    case array::Dataflow::WeightStationary:
      t.filter_read_bytes = bytes(k * n, bits.weight);
      t.ifmap_read_bytes = bytes(m * k * static_cast<double>(ceil_div(d.n, arch.cols)), bits.activation);
      t.ofmap_write_bytes = bytes(m * n * row_folds_k, bits.output);
      t.ofmap_read_bytes = bytes(m * n * (row_folds_k - 1), bits.output);
      break;
    case array::Dataflow::InputStationary:
      t.ifmap_read_bytes = bytes(m * k, bits.activation);
      t.filter_read_bytes = bytes(k * n * static_cast<double>(ceil_div(d.m, arch.cols)), bits.weight);
      t.ofmap_write_bytes = bytes(m * n * row_folds_k, bits.output);
      t.ofmap_read_bytes = bytes(m * n * (row_folds_k - 1), bits.output);
      break;
    case array::Dataflow::OutputStationary:
      t.ifmap_read_bytes = bytes(m * k * static_cast<double>(ceil_div(d.n, arch.cols)), bits.activation);
      t.filter_read_bytes = bytes(k * n * static_cast<double>(ceil_div(d.m, arch.rows)), bits.weight);
      t.ofmap_write_bytes = bytes(m * n, bits.output);
      break;
  }
  return t;
}

// DRAM traffic of one loop order over the folds: `outer_reused` says whether the streamed slice that the inner folds
// share fits half its SRAM (else it is re-read for every inner fold, as the SRAM reads it); `partials_fit` whether
// the outputs accumulated across the outer loop stay on chip (else each row fold spills and re-reads them).
struct LoopOrder {
  bool ifmap_once = true, filter_once = true, partials_fit = true;
};

Traffic loop_traffic(const LoopOrder& order, const workloads::GemmDims& d, const ElementBits& bits,
                     const Traffic& sram) {
  const double m = static_cast<double>(d.m), n = static_cast<double>(d.n), k = static_cast<double>(d.k);
  Traffic t;
  t.ifmap_read_bytes = order.ifmap_once ? bytes(m * k, bits.activation) : sram.ifmap_read_bytes;
  t.filter_read_bytes = order.filter_once ? bytes(k * n, bits.weight) : sram.filter_read_bytes;
  t.ofmap_write_bytes = order.partials_fit ? bytes(m * n, bits.output) : sram.ofmap_write_bytes;
  t.ofmap_read_bytes = order.partials_fit ? 0 : sram.ofmap_read_bytes;
  return t;
}

// The cheaper of the two loop orders over the folds (which spatial dimension is outer), as a mapper would pick.
// ws (folds over K and N): K outer keeps the M x R input slice; N outer keeps an M x C slice of partial sums.
// is (folds over K and M): K outer keeps the R x N weight slice; M outer keeps a C x N slice of partial sums.
// os (folds over M and N, each output complete in its fold): M outer keeps R x K inputs; N outer K x C weights.
Traffic dram_traffic(const array::ArchSpec& arch, const workloads::GemmDims& d, const ElementBits& bits,
                     const Traffic& sram) {
  const auto fits = fits_half_sram;
  const double m = static_cast<double>(d.m), n = static_cast<double>(d.n), k = static_cast<double>(d.k);
  const double r = static_cast<double>(arch.rows), c = static_cast<double>(arch.cols);
  const int64_t ifmap_sram = arch.ifmap_sram_bytes, filter_sram = arch.filter_sram_bytes;
  const int64_t ofmap_sram = arch.ofmap_sram_bytes;
  LoopOrder a, b;
  switch (arch.dataflow) {
    case array::Dataflow::WeightStationary:
      a = {fits(m * r, bits.activation, ifmap_sram), true, fits(m * n, bits.output, ofmap_sram)};
      b = {fits(m * k, bits.activation, ifmap_sram), true, fits(m * c, bits.output, ofmap_sram)};
      break;
    case array::Dataflow::InputStationary:
      a = {true, fits(r * n, bits.weight, filter_sram), fits(m * n, bits.output, ofmap_sram)};
      b = {true, fits(k * n, bits.weight, filter_sram), fits(c * n, bits.output, ofmap_sram)};
      break;
    case array::Dataflow::OutputStationary:
      a = {fits(r * k, bits.activation, ifmap_sram), fits(k * n, bits.weight, filter_sram), true};
      b = {fits(m * k, bits.activation, ifmap_sram), fits(k * c, bits.weight, filter_sram), true};
      break;
  }
  const Traffic ta = loop_traffic(a, d, bits, sram), tb = loop_traffic(b, d, bits, sram);
  return ta.total() <= tb.total() ? ta : tb;
}

}  // namespace

bool fits_half_sram(double elements, double element_bits, int64_t sram_bytes) {
  return bytes(elements, element_bits) <= sram_bytes / 2;
}

ElementBits element_bits(const pe::PeInstance& pe) {
  const pe::PortWidths w = pe.core->widths();
  return {pe.memory.activation_bits > 0 ? pe.memory.activation_bits : static_cast<double>(w.a_bits) / w.lanes,
          pe.memory.weight_bits > 0 ? pe.memory.weight_bits : static_cast<double>(w.b_bits) / w.lanes,
          pe.memory.output_bits > 0 ? pe.memory.output_bits : static_cast<double>(w.result_bits)};
}

LayerResult analyze_layer(const array::ArchSpec& arch, const workloads::LayerSpec& layer, Convention convention) {
  LayerResult r;
  r.name = layer.name;
  r.repeat = layer.repeat;
  r.dims = workloads::gemm_dims(layer, convention == Convention::ScaleSim ? workloads::OutputSizeRule::ScaleSim
                                                                          : workloads::OutputSizeRule::Floor);
  const int64_t reduction = convention == Convention::ScaleSim ? r.dims.k : reduction_operations(arch.pe, r.dims.k);
  const Mapping map = map_layer(arch.dataflow, r.dims, reduction);
  const int64_t row_folds = ceil_div(map.spatial_rows, arch.rows);
  const int64_t col_folds = ceil_div(map.spatial_cols, arch.cols);
  r.folds = row_folds * col_folds;
  if (convention == Convention::ScaleSim) {
    r.compute_cycles = r.folds * fold_cycles(arch, map, arch.rows, arch.cols, convention) - 1;
  } else {
    const int64_t last_rows = map.spatial_rows - (row_folds - 1) * arch.rows;
    const int64_t last_cols = map.spatial_cols - (col_folds - 1) * arch.cols;
    const auto fold_row = [&](int64_t rows) {
      return (col_folds - 1) * fold_cycles(arch, map, rows, arch.cols, convention) +
             fold_cycles(arch, map, rows, last_cols, convention);
    };
    r.compute_cycles = (row_folds - 1) * fold_row(arch.rows) + fold_row(last_rows);
  }
  r.mapping_efficiency = static_cast<double>(map.spatial_rows) * static_cast<double>(map.spatial_cols) /
                         (static_cast<double>(row_folds * arch.rows) * static_cast<double>(col_folds * arch.cols));
  const ElementBits bits = element_bits(arch.pe);
  r.sram = sram_traffic(arch, r.dims, bits);
  r.dram = dram_traffic(arch, r.dims, bits, r.sram);
  if (convention == Convention::Pesim) {
    const int64_t transfer_cycles = ceil_div(r.dram.total(), arch.dram_bytes_per_cycle);
    r.stall_cycles = std::max<int64_t>(0, transfer_cycles - r.compute_cycles);
  }
  r.utilization = static_cast<double>(r.dims.macs()) /
                  (static_cast<double>(r.total_cycles()) * static_cast<double>(arch.rows * arch.cols));
  return r;
}

}  // namespace pesim::analytical

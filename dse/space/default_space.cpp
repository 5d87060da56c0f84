// SPDX-License-Identifier: Apache-2.0
// pesim's built-in design space: what `pesim dse` explores with no --space (`pesim dse --print-space` prints it, a
// starting point for a space of one's own).
#include "dse/space/space_spec.h"

namespace pesim::dse {

const std::string& default_space_yaml() {
  static const std::string kYaml =
      R"(# pesim's default design space: LLaMA-2-7B decode (batch 64, a 512-token KV cache) on a systolic array
# of each PE family of the MixPE paper's comparison, with the array's shape, dataflow and SRAMs free, on IHP SG13G2
# 130 nm: the trade of run time and energy against silicon area, under a 100 mm2 die budget. The memory system
# starts from the paper's (500 MHz, 128 bytes/cycle of DRAM).
name: llama2-7b-decode
workload: llama2-7b:decode
batch: 64
seq: 512
technology: ihp_sg13g2
arch: int8
parameters:
  pe:
    values:
      mixpe_w4a8: {pe: mixpe, pe.act: int8}
      mixpe_w4a16: {pe: mixpe, pe.act: fp16}
      int8: {pe: mac_int}
      fp16: {pe: fma_fp, pe.in: fp16, pe.acc: fp32}
      bf16: {pe: fma_fp, pe.in: bf16, pe.acc: fp32, pe.norm: exact}
      bf16_approx_norm: {pe: fma_fp, pe.in: bf16, pe.acc: fp32, pe.norm: approx, pe.window_bits: 4}
  pe.group_size:
    values: [32, 64, 128]
    when: {pe: [mixpe_w4a8, mixpe_w4a16]}
  rows: {min: 8, max: 128, scale: log2}
  cols: {min: 8, max: 128, scale: log2}
  dataflow: [ws, os, is]
  ifmap_sram_bytes: {min: 65536, max: 524288, scale: log2}
  filter_sram_bytes: {min: 65536, max: 524288, scale: log2}
  ofmap_sram_bytes: {min: 32768, max: 131072, scale: log2}
objectives:
  - minimize: latency_ms
  - minimize: energy_uj
  - minimize: area_mm2
constraints:
  - area_mm2 <= 100
)";
  return kYaml;
}

}  // namespace pesim::dse

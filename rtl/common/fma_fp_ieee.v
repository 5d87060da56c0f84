// SPDX-License-Identifier: Apache-2.0
// An IEEE fused multiply-add, combinational: sum = RNE(a * b + c), a and b in the IN format, c and sum in the ACC
// format; bit for bit pesim's numeric core fma_mixed(IN, a, b, ACC, c, ACC) (canonical NaN, RNE, subnormals).
`default_nettype none
module fma_fp_ieee #(
    parameter integer IN_EXP = 8,
    parameter integer IN_MAN = 7,
    parameter integer IN_BIAS = 127,
    parameter integer IN_HAS_INF = 1,
    parameter integer ACC_EXP = 8,
    parameter integer ACC_MAN = 23,
    parameter integer ACC_BIAS = 127,
    localparam integer IN_W = 1 + IN_EXP + IN_MAN,
    localparam integer ACC_W = 1 + ACC_EXP + ACC_MAN
) (
    input  wire [IN_W-1:0]  a,
    input  wire [IN_W-1:0]  b,
    input  wire [ACC_W-1:0] c,
    output wire [ACC_W-1:0] sum
);
  wire [ACC_W:0] c_word, sum_word;
  fma_fp_widen_acc #(.ACC_EXP(ACC_EXP), .ACC_MAN(ACC_MAN)) widen (.acc(c), .word(c_word));
  fma_fp_datapath #(
      .IN_EXP(IN_EXP), .IN_MAN(IN_MAN), .IN_BIAS(IN_BIAS), .IN_HAS_INF(IN_HAS_INF),
      .ACC_EXP(ACC_EXP), .ACC_MAN(ACC_MAN), .ACC_BIAS(ACC_BIAS), .WINDOW(0)
  ) datapath (.a(a), .b(b), .c(c_word), .sum(sum_word));
  // Fully normalized results convert back exactly.
  fma_fp_normalize #(.ACC_EXP(ACC_EXP), .ACC_MAN(ACC_MAN)) to_acc (.word(sum_word), .acc(sum));
endmodule
`default_nettype wire

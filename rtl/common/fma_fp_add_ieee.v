// SPDX-License-Identifier: Apache-2.0
// An exact product term plus an IEEE ACC-format addend, rounded once (RNE) into the ACC format: fma_fp_add.v between
// the exact conversions to and from its internal word. The product term is described in fma_fp_add.v.
`default_nettype none
module fma_fp_add_ieee #(
    parameter integer PW = 16,
    parameter integer ACC_EXP = 8,
    parameter integer ACC_MAN = 23,
    parameter integer ACC_BIAS = 127,
    localparam integer EW = 32,
    localparam integer ACC_W = 1 + ACC_EXP + ACC_MAN
) (
    input  wire                 p_sign,
    input  wire [PW-1:0]        p_sig,
    input  wire signed [EW-1:0] p_top,
    input  wire                 p_zero,
    input  wire                 p_inf,
    input  wire                 p_nan,
    input  wire [ACC_W-1:0]     c,
    output wire [ACC_W-1:0]     sum
);
  wire [ACC_W:0] c_word, sum_word;
  fma_fp_widen_acc #(.ACC_EXP(ACC_EXP), .ACC_MAN(ACC_MAN)) widen (.acc(c), .word(c_word));
  fma_fp_add #(.PW(PW), .ACC_EXP(ACC_EXP), .ACC_MAN(ACC_MAN), .ACC_BIAS(ACC_BIAS), .WINDOW(0)) add (
      .p_sign(p_sign), .p_sig(p_sig), .p_top(p_top), .p_zero(p_zero), .p_inf(p_inf), .p_nan(p_nan),
      .c(c_word), .sum(sum_word));
  fma_fp_normalize #(.ACC_EXP(ACC_EXP), .ACC_MAN(ACC_MAN)) to_acc (.word(sum_word), .acc(sum));
endmodule
`default_nettype wire

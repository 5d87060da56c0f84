// SPDX-License-Identifier: Apache-2.0
// One multiply-add step of fma_fp on the internal partial-sum word (see models/pe/fma_fp/fma_fp_core.h for the
// arithmetic contract): decode both operands, form their exact product, and add it to c with one rounding
// (fma_fp_add.v, which also states the word layout).
`default_nettype none
module fma_fp_datapath #(
    parameter integer IN_EXP = 8,
    parameter integer IN_MAN = 7,
    parameter integer IN_BIAS = 127,
    parameter integer IN_HAS_INF = 1,   // 0: OCP E4M3 style, no infinity, NaN only at S.1..1.1..1
    parameter integer ACC_EXP = 8,
    parameter integer ACC_MAN = 23,
    parameter integer ACC_BIAS = 127,
    parameter integer WINDOW = 0,       // leading-one search window and maximum left shift, bits; 0 = full
    localparam integer IN_W = 1 + IN_EXP + IN_MAN,
    localparam integer P = ACC_MAN + 1,
    localparam integer WORD_W = 1 + ACC_EXP + P
) (
    input  wire [IN_W-1:0]   a,
    input  wire [IN_W-1:0]   b,
    input  wire [WORD_W-1:0] c,
    output wire [WORD_W-1:0] sum
);
  localparam integer PIN = IN_MAN + 1;
  localparam integer PW = 2 * PIN;  // product significand width
  localparam integer EW = 32;

  wire sa, sb, a_zero, b_zero, a_inf, b_inf, a_nan, b_nan;
  wire [PIN-1:0] sig_a, sig_b;
  wire signed [EW-1:0] scale_a, scale_b;
  fma_fp_decode #(.EXP(IN_EXP), .MAN(IN_MAN), .BIAS(IN_BIAS), .HAS_INF(IN_HAS_INF)) decode_a (
      .word(a), .sign(sa), .sig(sig_a), .scale(scale_a), .zero(a_zero), .inf(a_inf), .nan(a_nan));
  fma_fp_decode #(.EXP(IN_EXP), .MAN(IN_MAN), .BIAS(IN_BIAS), .HAS_INF(IN_HAS_INF)) decode_b (
      .word(b), .sign(sb), .sig(sig_b), .scale(scale_b), .zero(b_zero), .inf(b_inf), .nan(b_nan));

  wire p_zero = a_zero || b_zero;
  // The product sized by its own wire: Yosys 0.23 sizes `sig_a * sig_b` in a port connection by its operands
  // (PIN bits) and zero-extends it, where Verilator (and the standard) take the port's PW bits.
  wire [PW-1:0] p_sig = sig_a * sig_b;
  fma_fp_add #(.PW(PW), .ACC_EXP(ACC_EXP), .ACC_MAN(ACC_MAN), .ACC_BIAS(ACC_BIAS), .WINDOW(WINDOW)) add (
      .p_sign(sa ^ sb),
      .p_sig(p_sig),
      .p_top(scale_a + scale_b + PW - 1),
      .p_zero(p_zero),
      .p_inf((a_inf || b_inf) && !p_zero),
      .p_nan(a_nan || b_nan || ((a_inf || b_inf) && p_zero)),
      .c(c),
      .sum(sum));
endmodule
`default_nettype wire

// SPDX-License-Identifier: Apache-2.0
// MixPE's MAC step on the group sum S (models/pe/mixpe/mixpe_core.h): S + a * q, with a * q already formed by shift
// and add (product). int8: S is an integer and wraps. fp16: product is a's significand times q, placed at a's
// exponent, and added to the fp32 S with one RNE rounding (fma_fp_add_ieee.v).
`default_nettype none
module mixpe_accumulate #(
    parameter integer ACT_FP16 = 0,
    parameter integer W_BITS = 4,
    parameter integer S_W = 19,
    localparam integer PRW = (ACT_FP16 != 0) ? 12 + W_BITS : 8 + W_BITS
) (
    input  wire [15:0]    a,         // the activation word (int8 in the low bits, or fp16)
    input  wire           q_zero,
    input  wire           q_negative,
    input  wire [PRW-1:0] product,   // a (int8) or a's significand (fp16) times q, two's complement
    input  wire [S_W-1:0] sum,
    output wire [S_W-1:0] sum_next
);
  generate
    if (ACT_FP16 == 0) begin : g_int8
      wire unused = &{1'b0, a, q_zero, q_negative};
      assign sum_next = sum + {{(S_W-PRW){product[PRW-1]}}, product};
    end else begin : g_fp16
      localparam integer EW = 32;
      localparam integer PW = PRW - 1;  // the product's magnitude
      wire a_sign, a_zero, a_inf, a_nan;
      wire [10:0] a_sig;
      wire signed [EW-1:0] a_scale;
      fma_fp_decode #(.EXP(5), .MAN(10), .BIAS(15), .HAS_INF(1)) decode_a (
          .word(a), .sign(a_sign), .sig(a_sig), .scale(a_scale), .zero(a_zero), .inf(a_inf), .nan(a_nan));
      // The product's sign is q's (a's significand is a magnitude), also when a is zero: +0 * -5 is -0.
      wire [PRW-1:0] magnitude = q_negative ? -product : product;
      wire unused = &{1'b0, a_sig, magnitude[PW]};  // |product| < 2^PW: 2047 * (2^w - 1) or 2047 * 2^(w-1)
      wire p_zero = a_zero || q_zero;
      fma_fp_add_ieee #(.PW(PW), .ACC_EXP(8), .ACC_MAN(23), .ACC_BIAS(127)) add (
          .p_sign(a_sign ^ q_negative), .p_sig(magnitude[PW-1:0]), .p_top(a_scale + PW - 1),
          .p_zero(p_zero), .p_inf(a_inf && !q_zero), .p_nan(a_nan || (a_inf && q_zero)),
          .c(sum), .sum(sum_next));
    end
  endgenerate
endmodule
`default_nettype wire

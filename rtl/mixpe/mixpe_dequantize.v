// SPDX-License-Identifier: Apache-2.0
// MixPE's group-boundary step (models/pe/mixpe/mixpe_core.h): y + s * (S - z * A), once per group of G weights.
// int8: D = S - z * A is exact (z * A by shift and add), then y + s * D is rounded once.
// fp16: D = RNE_fp32(S - z * A) (z * A exact, by shift and add on A's significand), then y + s * D rounded once.
`default_nettype none
module mixpe_dequantize #(
    parameter integer ACT_FP16 = 0,
    parameter integer W_BITS = 4,
    parameter integer W_SIGNED = 0,
    parameter integer A_W = 15,
    parameter integer S_W = 19,
    parameter integer OUT_EXP = 8,
    parameter integer OUT_MAN = 23,
    parameter integer OUT_BIAS = 127,
    localparam integer Y_W = 1 + OUT_EXP + OUT_MAN
) (
    input  wire [A_W-1:0]    group_sum_a,  // A
    input  wire [15:0]       scale,        // s, fp16
    input  wire [W_BITS-1:0] zero_point,   // z
    input  wire [S_W-1:0]    sum,          // S
    input  wire [Y_W-1:0]    y,
    output wire [Y_W-1:0]    y_next
);
  localparam integer EW = 32;
  wire s_sign, s_zero, s_inf, s_nan;
  wire [10:0] s_sig;
  wire signed [EW-1:0] s_scale;
  fma_fp_decode #(.EXP(5), .MAN(10), .BIAS(15), .HAS_INF(1)) decode_s (
      .word(scale), .sign(s_sign), .sig(s_sig), .scale(s_scale), .zero(s_zero), .inf(s_inf), .nan(s_nan));
  wire [W_BITS-1:0] all_bits = {W_BITS{1'b1}};

  generate
    if (ACT_FP16 == 0) begin : g_int8
      // z * A fits S_W bits; D = S - z * A fits S_W + 1.
      localparam integer ZA_W = A_W + W_BITS;
      wire [ZA_W-1:0] za;
      mixpe_shift_add #(.MW(A_W), .M_SIGNED(1), .W_BITS(W_BITS), .W_SIGNED(W_SIGNED)) z_times_a (
          .m(group_sum_a), .q(zero_point), .bit_enable(all_bits), .product(za));
      wire [S_W:0] d = {sum[S_W-1], sum} - {{(S_W+1-ZA_W){za[ZA_W-1]}}, za};
      wire d_negative = d[S_W];
      wire [S_W:0] d_magnitude = d_negative ? -d : d;
      localparam integer PW = 11 + S_W + 1;
      wire d_zero = d == 0;
      // The product sized by its own wire: Yosys 0.23 sizes a product in a port connection by its operands and
      // drops its top bits, where Verilator (and the standard) take the port's PW bits.
      wire [PW-1:0] p_sig = s_sig * d_magnitude;
      fma_fp_add_ieee #(.PW(PW), .ACC_EXP(OUT_EXP), .ACC_MAN(OUT_MAN), .ACC_BIAS(OUT_BIAS)) add (
          .p_sign(s_sign ^ d_negative), .p_sig(p_sig), .p_top(s_scale + PW - 1),
          .p_zero(s_zero || d_zero), .p_inf(s_inf && !d_zero), .p_nan(s_nan || (s_inf && d_zero)),
          .c(y), .sum(y_next));
    end else begin : g_fp16
      // -z * A: |z| times A's significand, negative when z > 0 (z = 0 gives +0, as -z converted to fp32 would).
      wire a_sign, a_zero, a_inf, a_nan;
      wire [23:0] a_sig;
      wire signed [EW-1:0] a_scale;
      fma_fp_decode #(.EXP(8), .MAN(23), .BIAS(127), .HAS_INF(1)) decode_a (
          .word(group_sum_a), .sign(a_sign), .sig(a_sig), .scale(a_scale), .zero(a_zero), .inf(a_inf), .nan(a_nan));
      wire z_negative = (W_SIGNED != 0) && zero_point[W_BITS-1];
      wire [W_BITS-1:0] z_magnitude = z_negative ? -zero_point : zero_point;
      wire z_zero = zero_point == 0;
      localparam integer ZA_PW = 24 + W_BITS;
      wire [ZA_PW:0] za;
      mixpe_shift_add #(.MW(24), .M_SIGNED(0), .W_BITS(W_BITS), .W_SIGNED(0)) z_times_a (
          .m(a_sig), .q(z_magnitude), .bit_enable(all_bits), .product(za));
      wire unused = &{1'b0, za[ZA_PW]};
      wire [31:0] d;
      fma_fp_add_ieee #(.PW(ZA_PW), .ACC_EXP(8), .ACC_MAN(23), .ACC_BIAS(127)) sub (
          .p_sign(a_sign ^ (!z_negative && !z_zero)), .p_sig(za[ZA_PW-1:0]), .p_top(a_scale + ZA_PW - 1),
          .p_zero(z_zero || a_zero), .p_inf(a_inf && !z_zero), .p_nan(a_nan || (a_inf && z_zero)),
          .c(sum), .sum(d));
      // y + s * D
      wire d_sign, d_zero, d_inf, d_nan;
      wire [23:0] d_sig;
      wire signed [EW-1:0] d_scale;
      fma_fp_decode #(.EXP(8), .MAN(23), .BIAS(127), .HAS_INF(1)) decode_d (
          .word(d), .sign(d_sign), .sig(d_sig), .scale(d_scale), .zero(d_zero), .inf(d_inf), .nan(d_nan));
      localparam integer PW = 11 + 24;
      wire p_zero = s_zero || d_zero;
      wire [PW-1:0] p_sig = s_sig * d_sig;  // sized by its own wire, as in g_int8
      fma_fp_add_ieee #(.PW(PW), .ACC_EXP(OUT_EXP), .ACC_MAN(OUT_MAN), .ACC_BIAS(OUT_BIAS)) add (
          .p_sign(s_sign ^ d_sign), .p_sig(p_sig), .p_top(s_scale + d_scale + PW - 1),
          .p_zero(p_zero), .p_inf((s_inf || d_inf) && !p_zero), .p_nan(s_nan || d_nan || ((s_inf || d_inf) && p_zero)),
          .c(y), .sum(y_next));
    end
  endgenerate
endmodule
`default_nettype wire

// SPDX-License-Identifier: Apache-2.0
// MixPE's dequantization unit on its own, between registers, for costing it apart from the PE (an array shares it:
// each PE needs it once per group of G MACs). The arithmetic is mixpe_dequantize.v's; parameters as mixpe.v.
`default_nettype none
module mixpe_dequant_unit #(
    parameter integer ACT_FP16 = 0,
    parameter integer W_BITS = 4,
    parameter integer W_SIGNED = 0,
    parameter integer GROUP = 128,
    parameter integer OUT_EXP = 8,
    parameter integer OUT_MAN = 23,
    parameter integer OUT_BIAS = 127,
    localparam integer GROUP_BITS = $clog2(GROUP),
    localparam integer A_W = (ACT_FP16 != 0) ? 32 : 8 + GROUP_BITS,
    localparam integer S_W = (ACT_FP16 != 0) ? 32 : 8 + W_BITS + GROUP_BITS,
    localparam integer Y_W = 1 + OUT_EXP + OUT_MAN
) (
    input  wire              clk,
    input  wire [A_W-1:0]    in_group_sum_a,
    input  wire [15:0]       in_scale,
    input  wire [W_BITS-1:0] in_zero_point,
    input  wire [S_W-1:0]    in_sum,
    input  wire [Y_W-1:0]    in_y,
    output reg  [Y_W-1:0]    out_y
);
  reg [A_W-1:0] group_sum_a_q;
  reg [15:0] scale_q;
  reg [W_BITS-1:0] zero_point_q;
  reg [S_W-1:0] sum_q;
  reg [Y_W-1:0] y_q;
  wire [Y_W-1:0] y_next;
  mixpe_dequantize #(
      .ACT_FP16(ACT_FP16), .W_BITS(W_BITS), .W_SIGNED(W_SIGNED), .A_W(A_W), .S_W(S_W),
      .OUT_EXP(OUT_EXP), .OUT_MAN(OUT_MAN), .OUT_BIAS(OUT_BIAS)
  ) dequantize (
      .group_sum_a(group_sum_a_q), .scale(scale_q), .zero_point(zero_point_q), .sum(sum_q), .y(y_q),
      .y_next(y_next));
  always @(posedge clk) begin
    group_sum_a_q <= in_group_sum_a;
    scale_q <= in_scale;
    zero_point_q <= in_zero_point;
    sum_q <= in_sum;
    y_q <= in_y;
    out_y <= y_next;
  end
endmodule
`default_nettype wire

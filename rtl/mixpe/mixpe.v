// SPDX-License-Identifier: Apache-2.0
// MixPE: low-bit weights times int8 (W4A8) or fp16 (W4A16) activations by shift and add, raw products accumulated
// per group, dequantized once per group. models/pe/mixpe/mixpe_core.h states the arithmetic and the port words:
//   in_b = {op, s, q/z}: op 0 MAC (S += a * q), op 1 DEQUANT (y += s * (S - z * A), S = 0; A arrives on in_a).
//   in_c / out_acc = {y, S}; out_result = y.
// SERIAL=0: the product is formed in one cycle; every operation takes one cycle.
// SERIAL=1: one weight bit per cycle: an accepted operation occupies the datapath for W_BITS cycles (operations
// offered meanwhile are ignored) and enters the output pipeline in its last cycle.
// Timing: pe_pipeline.v (STAGES cycles after the datapath, data registers load only on valid).
`default_nettype none
module mixpe #(
    parameter integer ACT_FP16 = 0,
    parameter integer W_BITS = 4,     // 2..8
    parameter integer W_SIGNED = 0,
    parameter integer GROUP = 128,    // G, weights per scale and zero point
    parameter integer OUT_EXP = 8,
    parameter integer OUT_MAN = 23,
    parameter integer OUT_BIAS = 127,
    parameter integer SERIAL = 0,
    parameter integer STAGES = 1,
    parameter integer DEQUANT_UNIT = 1,  // 0 leaves the dequantization unit out (DEQUANT then only clears S), for
                                         // costing the PE alone: an array shares the unit (mixpe_dequant_unit.v)
    localparam integer GROUP_BITS = $clog2(GROUP),
    localparam integer A_W = (ACT_FP16 != 0) ? 32 : 8 + GROUP_BITS,
    localparam integer S_W = (ACT_FP16 != 0) ? 32 : 8 + W_BITS + GROUP_BITS,
    localparam integer Y_W = 1 + OUT_EXP + OUT_MAN,
    localparam integer B_W = 17 + W_BITS,
    localparam integer ACC_W = Y_W + S_W
) (
    input  wire             clk,
    input  wire             rst,
    input  wire             in_valid,
    input  wire [A_W-1:0]   in_a,
    input  wire [B_W-1:0]   in_b,
    input  wire [ACC_W-1:0] in_c,
    output wire             out_valid,
    output wire [ACC_W-1:0] out_acc,
    output wire [Y_W-1:0]   out_result
);
  localparam integer MW = (ACT_FP16 != 0) ? 11 : 8;  // multiplicand: int8 a, or fp16 a's significand
  localparam integer M_SIGNED = (ACT_FP16 != 0) ? 0 : 1;
  localparam integer PRW = MW + W_BITS + ((ACT_FP16 != 0) ? 1 : 0);
  localparam integer LAST_BIT_INDEX = W_BITS - 1;
  localparam [3:0] LAST_BIT = LAST_BIT_INDEX[3:0];

  // The operation in the datapath: the inputs themselves (parallel), or the registers of the accepted one (serial).
  wire [A_W-1:0] op_a;
  wire [B_W-1:0] op_b;
  wire [ACC_W-1:0] op_c;
  wire [PRW-1:0] product;
  wire op_valid;

  generate
    if (SERIAL == 0) begin : g_parallel
      assign op_a = in_a;
      assign op_b = in_b;
      assign op_c = in_c;
      assign op_valid = in_valid;
      mixpe_shift_add #(.MW(MW), .M_SIGNED(M_SIGNED), .W_BITS(W_BITS), .W_SIGNED(W_SIGNED)) shift_add (
          .m(multiplicand(in_a)), .q(in_b[W_BITS-1:0]), .bit_enable({W_BITS{1'b1}}), .product(product));
    end else begin : g_serial
      reg busy;
      reg [3:0] bit_index;
      reg [A_W-1:0] a_q;
      reg [B_W-1:0] b_q;
      reg [ACC_W-1:0] c_q;
      reg [PRW-1:0] partial_q;
      wire accept = in_valid && !busy;
      wire [A_W-1:0] a_now = accept ? in_a : a_q;
      wire [W_BITS-1:0] q_now = accept ? in_b[W_BITS-1:0] : b_q[W_BITS-1:0];
      wire [3:0] index_now = accept ? 4'd0 : bit_index;
      wire [PRW-1:0] term;
      mixpe_shift_add #(.MW(MW), .M_SIGNED(M_SIGNED), .W_BITS(W_BITS), .W_SIGNED(W_SIGNED)) shift_add (
          .m(multiplicand(a_now)), .q(q_now), .bit_enable(one_hot(index_now)), .product(term));
      always @(posedge clk) begin
        if (rst) begin
          busy <= 1'b0;
          bit_index <= 4'd0;
          a_q <= {A_W{1'b0}};
          b_q <= {B_W{1'b0}};
          c_q <= {ACC_W{1'b0}};
          partial_q <= {PRW{1'b0}};
        end else if (accept) begin
          busy <= 1'b1;
          bit_index <= 4'd1;
          a_q <= in_a;
          b_q <= in_b;
          c_q <= in_c;
          partial_q <= term;
        end else if (busy) begin
          busy <= bit_index != LAST_BIT;
          bit_index <= bit_index + 4'd1;
          partial_q <= partial_q + term;
        end
      end
      assign op_a = a_q;
      assign op_b = b_q;
      assign op_c = c_q;
      assign op_valid = busy && bit_index == LAST_BIT;
      assign product = partial_q + term;
    end
  endgenerate

  // ---- the step: MAC or DEQUANT
  wire dequant = op_b[B_W-1];
  wire [S_W-1:0] sum = op_c[S_W-1:0];
  wire [Y_W-1:0] y = op_c[ACC_W-1:S_W];
  wire [S_W-1:0] sum_mac;
  wire [Y_W-1:0] y_dequant;
  mixpe_accumulate #(.ACT_FP16(ACT_FP16), .W_BITS(W_BITS), .S_W(S_W)) accumulate (
      .a(activation(op_a)), .q_zero(op_b[W_BITS-1:0] == 0),
      .q_negative((W_SIGNED != 0) && op_b[W_BITS-1]), .product(product), .sum(sum), .sum_next(sum_mac));
  generate
    if (DEQUANT_UNIT != 0) begin : g_dequant_unit
      mixpe_dequantize #(
          .ACT_FP16(ACT_FP16), .W_BITS(W_BITS), .W_SIGNED(W_SIGNED), .A_W(A_W), .S_W(S_W),
          .OUT_EXP(OUT_EXP), .OUT_MAN(OUT_MAN), .OUT_BIAS(OUT_BIAS)
      ) dequantize (
          .group_sum_a(op_a), .scale(op_b[W_BITS+15:W_BITS]), .zero_point(op_b[W_BITS-1:0]), .sum(sum), .y(y),
          .y_next(y_dequant));
    end else begin : g_no_dequant_unit
      assign y_dequant = y;
    end
  endgenerate
  wire [ACC_W-1:0] acc_next = dequant ? {y_dequant, {S_W{1'b0}}} : {y, sum_mac};

  pe_pipeline #(.WIDTH(ACC_W), .STAGES(STAGES)) pipeline (
      .clk(clk), .rst(rst), .in_valid(op_valid), .in_data(acc_next), .out_valid(out_valid), .out_data(out_acc));
  assign out_result = out_acc[ACC_W-1:S_W];

  // The activation in a MAC's a word (the bits above it are ignored), zero-extended to 16 bits.
  /* verilator lint_off UNUSEDSIGNAL */
  function automatic [15:0] activation(input [A_W-1:0] word);
    reg [A_W+15:0] wide;
    wide = {16'b0, word};
    activation = (ACT_FP16 != 0) ? wide[15:0] : {8'b0, wide[7:0]};
  endfunction

  // The multiplicand of a MAC's a word: the int8 activation, or the fp16 activation's significand (leading bit
  // explicit).
  function automatic [MW-1:0] multiplicand(input [A_W-1:0] word);
    reg [15:0] act;
    reg [15:0] m;
    act = activation(word);
    m = (ACT_FP16 != 0) ? {5'b0, |act[14:10], act[9:0]} : act;
    multiplicand = m[MW-1:0];
  endfunction
  /* verilator lint_on UNUSEDSIGNAL */

  function automatic [W_BITS-1:0] one_hot(input [3:0] index);
    one_hot = {{(W_BITS-1){1'b0}}, 1'b1} << index;
  endfunction
endmodule
`default_nettype wire

// SPDX-License-Identifier: Apache-2.0
// Integer multiply-accumulate PE: out = c + a * b computed exactly, then brought into C's C_W bits by wrapping
// (two's complement, low bits) or, with SATURATE, clamping to C's [min, max]; bit-exact against pesim::num's
// encode_int. Each operand is signed or unsigned by its own flag. The result leaves STAGES cycles after its
// operands (pe_pipeline).
`default_nettype none
module mac_int #(
    parameter integer A_W      = 8,  // 1..62 each; A_W + B_W may reach ~62
    parameter integer A_SIGNED = 1,
    parameter integer B_W      = 8,
    parameter integer B_SIGNED = 1,
    parameter integer C_W      = 32,
    parameter integer C_SIGNED = 1,
    parameter integer SATURATE = 0,
    parameter integer STAGES   = 1,  // >= 1
    localparam integer A_BITS   = A_W,
    localparam integer B_BITS   = B_W,
    localparam integer ACC_BITS = C_W
) (
    input  wire                clk,
    input  wire                rst,
    input  wire                in_valid,
    input  wire [A_BITS-1:0]   in_a,
    input  wire [B_BITS-1:0]   in_b,
    input  wire [ACC_BITS-1:0] in_c,
    output wire                out_valid,
    output wire [ACC_BITS-1:0] out_acc,
    output wire [ACC_BITS-1:0] out_result
);
  // Operands as two's complement: an unsigned operand gains a zero sign bit.
  localparam integer AXW = A_W + ((A_SIGNED != 0) ? 0 : 1);
  localparam integer BXW = B_W + ((B_SIGNED != 0) ? 0 : 1);
  localparam integer CXW = C_W + ((C_SIGNED != 0) ? 0 : 1);
  localparam integer PXW = AXW + BXW;                         // exact signed product
  localparam integer SW = ((PXW > CXW) ? PXW : CXW) + 1;      // exact sum, with its carry

  wire [AXW-1:0] a_x;
  wire [BXW-1:0] b_x;
  wire [CXW-1:0] c_x;
  twos_complement_operand #(.W(A_W), .SIGNED(A_SIGNED)) a_operand (.in(in_a), .out(a_x));
  twos_complement_operand #(.W(B_W), .SIGNED(B_SIGNED)) b_operand (.in(in_b), .out(b_x));
  twos_complement_operand #(.W(C_W), .SIGNED(C_SIGNED)) c_operand (.in(in_c), .out(c_x));

  wire [PXW-1:0] prod = $signed(a_x) * $signed(b_x);
  wire [SW-1:0] sum = {{(SW - PXW){prod[PXW-1]}}, prod} + {{(SW - CXW){c_x[CXW-1]}}, c_x};

  // In range when every bit from C's sign position up equals the sum's sign (signed C), or when every bit from
  // bit C_W up, the sum's sign included, is 0 (unsigned C).
  localparam integer TOP_LSB = (C_SIGNED != 0) ? C_W - 1 : C_W;
  wire [SW-1-TOP_LSB:0] sum_top = sum[SW-1:TOP_LSB];
  wire sum_neg = sum[SW-1];
  wire in_range = ((C_SIGNED != 0) & (&sum_top)) | ~(|sum_top);
  localparam [C_W-1:0] ONES = {C_W{1'b1}};
  localparam [C_W-1:0] MAX_RAW = (C_SIGNED != 0) ? ONES >> 1 : ONES;
  localparam [C_W-1:0] MIN_RAW = (C_SIGNED != 0) ? ~(ONES >> 1) : {C_W{1'b0}};
  wire [C_W-1:0] sum_q = (SATURATE == 0 || in_range) ? sum[C_W-1:0] : (sum_neg ? MIN_RAW : MAX_RAW);

  pe_pipeline #(
      .WIDTH (ACC_BITS),
      .STAGES(STAGES)
  ) u_pipeline (
      .clk      (clk),
      .rst      (rst),
      .in_valid (in_valid),
      .in_data  (sum_q),
      .out_valid(out_valid),
      .out_data (out_acc)
  );
  assign out_result = out_acc;
endmodule
`default_nettype wire

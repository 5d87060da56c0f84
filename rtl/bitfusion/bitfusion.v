// SPDX-License-Identifier: Apache-2.0
// BitFusion fusion unit (Sharma et al., ISCA 2018): out = c + sum over LANES lanes of a_i * b_i, exact, wrapped to
// C_W bits (two's complement); bit-exact against pesim::pe::BitfusionCore. LANES = 64 / (A_W * B_W) for A_W, B_W in
// {2, 4, 8}; lane i of in_a is in_a[i*A_W +: A_W], of in_b in_b[i*B_W +: B_W]. Each operand is signed or unsigned by
// its flag. The datapath is a fixed grid of 16 BitBricks (bitfusion_brick): every operand is split into 2-bit
// digits, brick (i, j) of a lane multiplies digit i of a by digit j of b, and its product weighs 4^(i + j); all 16
// weighted brick products and c are summed. The result leaves STAGES cycles after its operands (pe_pipeline).
`default_nettype none
module bitfusion #(
    parameter integer A_W      = 8,  // activation width: 2, 4 or 8
    parameter integer A_SIGNED = 1,
    parameter integer B_W      = 4,  // weight width: 2, 4 or 8
    parameter integer B_SIGNED = 1,
    parameter integer C_W      = 32,  // accumulator, two's complement, wraps
    parameter integer STAGES   = 1,  // >= 1
    localparam integer LANES    = 64 / (A_W * B_W),  // LANES * (A_W / 2) * (B_W / 2) = 16 bricks
    localparam integer A_BITS   = LANES * A_W,
    localparam integer B_BITS   = LANES * B_W,
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
  localparam integer BRICKS = 16;
  localparam integer A_DIGITS = A_W / 2;
  localparam integer B_DIGITS = B_W / 2;
  localparam integer TW = A_W + B_W + 1;  // a weighted brick product (|.| < 2^(A_W+B_W)), two's complement
  localparam integer DW = TW + 4;         // the sum of 16 of them

  wire [TW-1:0] term[0:BRICKS-1];  // brick k's product times 4^(i + j)
  genvar k;
  generate
    for (k = 0; k < BRICKS; k = k + 1) begin : g_brick
      localparam integer LANE = k / (A_DIGITS * B_DIGITS);
      localparam integer I = (k / B_DIGITS) % A_DIGITS;  // digit of a
      localparam integer J = k % B_DIGITS;               // digit of b
      localparam [0:0] A_SX = (A_SIGNED != 0) && (I == A_DIGITS - 1);
      localparam [0:0] B_SX = (B_SIGNED != 0) && (J == B_DIGITS - 1);
      wire [4:0] product;
      bitfusion_brick u_brick (
          .a_signed(A_SX),
          .a       (in_a[LANE*A_W+2*I+:2]),
          .b_signed(B_SX),
          .b       (in_b[LANE*B_W+2*J+:2]),
          .product (product)
      );
      assign term[k] = {{(TW - 4) {product[4]}}, product[3:0]} << (2 * (I + J));
    end
  endgenerate

  /* verilator lint_off UNUSEDSIGNAL */  // bits of the dot product above C_W wrap away
  reg [DW-1:0] dot;
  /* verilator lint_on UNUSEDSIGNAL */
  integer t;
  always @* begin
    dot = {DW{1'b0}};
    for (t = 0; t < BRICKS; t = t + 1) dot = dot + {{(DW - TW) {term[t][TW-1]}}, term[t]};
  end

  wire [C_W-1:0] dot_c;  // the dot product wrapped or sign-extended to C_W bits
  generate
    if (C_W <= DW) begin : g_wrap_dot
      assign dot_c = dot[C_W-1:0];
    end else begin : g_extend_dot
      assign dot_c = {{(C_W - DW) {dot[DW-1]}}, dot};
    end
  endgenerate
  wire [C_W-1:0] sum = dot_c + in_c;  // wraps at C_W bits

  pe_pipeline #(
      .WIDTH (ACC_BITS),
      .STAGES(STAGES)
  ) u_pipeline (
      .clk      (clk),
      .rst      (rst),
      .in_valid (in_valid),
      .in_data  (sum),
      .out_valid(out_valid),
      .out_data (out_acc)
  );
  assign out_result = out_acc;
endmodule
`default_nettype wire

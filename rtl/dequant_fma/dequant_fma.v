// SPDX-License-Identifier: Apache-2.0
// dequant_fma: the dequantize-in-the-loop PE (models/pe/dequant_fma/dequant_fma_core.h states the arithmetic).
// in_b = {s, z, q}: q in [W_BITS-1:0], z in [2*W_BITS-1:W_BITS], s (an IN-format word) above them. The datapath:
// d = q - z exactly in W_BITS + 1 bits, d to the IN format exactly, weight = RNE(d * s) in the IN format (an FMA
// with c = -0, which is the IEEE product bit for bit, zero signs and NaNs included), then out_acc = RNE(a * weight
// + c) in the ACC format. Ports as fma_fp.v with APPROX=0; out_result = out_acc.
// Timing: pe_pipeline.v (STAGES cycles, data registers load only on valid).
`default_nettype none
module dequant_fma #(
    parameter integer W_BITS = 4,    // width of q and z, bits; W_BITS <= IN_MAN + 1 (d exact in the IN format)
    parameter integer W_SIGNED = 0,  // q and z two's complement (else unsigned)
    parameter integer IN_EXP = 5,
    parameter integer IN_MAN = 10,
    parameter integer IN_BIAS = 15,
    parameter integer ACC_EXP = 8,
    parameter integer ACC_MAN = 23,
    parameter integer ACC_BIAS = 127,
    parameter integer STAGES = 1,
    localparam integer IN_W = 1 + IN_EXP + IN_MAN,
    localparam integer B_W = 2 * W_BITS + IN_W,
    localparam integer ACC_W = 1 + ACC_EXP + ACC_MAN
) (
    input  wire             clk,
    input  wire             rst,
    input  wire             in_valid,
    input  wire [IN_W-1:0]  in_a,
    input  wire [B_W-1:0]   in_b,
    input  wire [ACC_W-1:0] in_c,
    output wire             out_valid,
    output wire [ACC_W-1:0] out_acc,
    output wire [ACC_W-1:0] out_result
);
  localparam integer OP_W = W_BITS + ((W_SIGNED != 0) ? 0 : 1);  // twos_complement_operand's width
  localparam integer D_W = W_BITS + 1;                           // q - z, two's complement
  // int_to_fp needs D_W <= MAN + 1; d has at most W_BITS significant bits, so converting into a format with
  // WIDE_MAN fraction bits and dropping the low WIDE_MAN - IN_MAN (zero) bits is exact.
  localparam integer WIDE_MAN = (IN_MAN > D_W - 1) ? IN_MAN : D_W - 1;
  localparam integer WIDE_W = 1 + IN_EXP + WIDE_MAN;

  wire [W_BITS-1:0] q = in_b[W_BITS-1:0];
  wire [W_BITS-1:0] z = in_b[2*W_BITS-1:W_BITS];
  wire [IN_W-1:0] s = in_b[B_W-1:2*W_BITS];

  wire [OP_W-1:0] q_op, z_op;
  twos_complement_operand #(.W(W_BITS), .SIGNED(W_SIGNED)) q_operand (.in(q), .out(q_op));
  twos_complement_operand #(.W(W_BITS), .SIGNED(W_SIGNED)) z_operand (.in(z), .out(z_op));
  // Sign-extended to D_W bits (OP_W is D_W or D_W - 1); the difference always fits D_W bits.
  wire [D_W-1:0] q_ext = {{(D_W - OP_W + 1){q_op[OP_W-1]}}, q_op[OP_W-2:0]};
  wire [D_W-1:0] z_ext = {{(D_W - OP_W + 1){z_op[OP_W-1]}}, z_op[OP_W-2:0]};
  wire [D_W-1:0] d = q_ext - z_ext;

  /* verilator lint_off UNUSEDSIGNAL */  // the dropped low fraction bits of d_wide are zero
  wire [WIDE_W-1:0] d_wide;
  /* verilator lint_on UNUSEDSIGNAL */
  int_to_fp #(.IW(D_W), .EXP(IN_EXP), .MAN(WIDE_MAN), .BIAS(IN_BIAS)) d_to_fp (.value(d), .fp(d_wide));
  wire [IN_W-1:0] d_fp = {d_wide[WIDE_W-1:WIDE_MAN], d_wide[WIDE_MAN-1 -: IN_MAN]};

  wire [IN_W-1:0] weight;
  fma_fp_ieee #(
      .IN_EXP(IN_EXP), .IN_MAN(IN_MAN), .IN_BIAS(IN_BIAS), .IN_HAS_INF(1),
      .ACC_EXP(IN_EXP), .ACC_MAN(IN_MAN), .ACC_BIAS(IN_BIAS)
  ) dequantize (.a(d_fp), .b(s), .c({1'b1, {(IN_W-1){1'b0}}}), .sum(weight));

  wire [ACC_W-1:0] sum;
  fma_fp_ieee #(
      .IN_EXP(IN_EXP), .IN_MAN(IN_MAN), .IN_BIAS(IN_BIAS), .IN_HAS_INF(1),
      .ACC_EXP(ACC_EXP), .ACC_MAN(ACC_MAN), .ACC_BIAS(ACC_BIAS)
  ) accumulate (.a(in_a), .b(weight), .c(in_c), .sum(sum));

  pe_pipeline #(.WIDTH(ACC_W), .STAGES(STAGES)) pipeline (
      .clk(clk), .rst(rst), .in_valid(in_valid), .in_data(sum), .out_valid(out_valid), .out_data(out_acc));
  assign out_result = out_acc;
endmodule
`default_nettype wire

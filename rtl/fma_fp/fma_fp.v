// SPDX-License-Identifier: Apache-2.0
// fma_fp: the floating-point multiply-add PE (models/pe/fma_fp/fma_fp_core.h states the arithmetic).
// APPROX=0: ports in_c/out_acc are acc-format words; each step is an IEEE fused multiply-add (RNE).
// APPROX=1: ports in_c/out_acc are the internal partial-sum word (one bit wider: explicit leading bit) with
// approximate normalization (WINDOW bits); out_result is the array-edge normalizer's output.
// Timing: pe_pipeline.v (STAGES cycles, data registers load only on valid).
`default_nettype none
module fma_fp #(
    parameter integer IN_EXP = 8,
    parameter integer IN_MAN = 7,
    parameter integer IN_BIAS = 127,
    parameter integer IN_HAS_INF = 1,
    parameter integer ACC_EXP = 8,
    parameter integer ACC_MAN = 23,
    parameter integer ACC_BIAS = 127,
    parameter integer APPROX = 0,
    parameter integer WINDOW = 0,
    parameter integer STAGES = 1,
    parameter integer EDGE_UNIT = 1,  // APPROX=1: 0 leaves the edge normalizer out (out_result 0), for costing
                                      // the PE alone; an array has one normalizer per column, costed on its own
    localparam integer IN_W = 1 + IN_EXP + IN_MAN,
    localparam integer ACC_W = 1 + ACC_EXP + ACC_MAN,
    localparam integer WORD_W = ACC_W + 1,
    localparam integer PORT_W = (APPROX != 0) ? WORD_W : ACC_W
) (
    input  wire              clk,
    input  wire              rst,
    input  wire              in_valid,
    input  wire [IN_W-1:0]   in_a,
    input  wire [IN_W-1:0]   in_b,
    input  wire [PORT_W-1:0] in_c,
    output wire              out_valid,
    output wire [PORT_W-1:0] out_acc,
    output wire [ACC_W-1:0]  out_result
);
  wire [WORD_W-1:0] c_word;
  wire [WORD_W-1:0] sum_word;
  wire [PORT_W-1:0] sum_port;

  fma_fp_datapath #(
      .IN_EXP(IN_EXP), .IN_MAN(IN_MAN), .IN_BIAS(IN_BIAS), .IN_HAS_INF(IN_HAS_INF),
      .ACC_EXP(ACC_EXP), .ACC_MAN(ACC_MAN), .ACC_BIAS(ACC_BIAS), .WINDOW((APPROX != 0) ? WINDOW : 0)
  ) datapath (.a(in_a), .b(in_b), .c(c_word), .sum(sum_word));

  generate
    if (APPROX != 0) begin : g_internal_ports
      assign c_word = in_c;
      assign sum_port = sum_word;
      if (EDGE_UNIT != 0) begin : g_edge_unit
        fma_fp_normalize #(.ACC_EXP(ACC_EXP), .ACC_MAN(ACC_MAN)) edge_unit (.word(out_acc), .acc(out_result));
      end else begin : g_no_edge_unit
        assign out_result = {ACC_W{1'b0}};
      end
    end else begin : g_acc_ports
      fma_fp_widen_acc #(.ACC_EXP(ACC_EXP), .ACC_MAN(ACC_MAN)) widen (.acc(in_c), .word(c_word));
      // Fully normalized results convert back exactly.
      fma_fp_normalize #(.ACC_EXP(ACC_EXP), .ACC_MAN(ACC_MAN)) to_acc (.word(sum_word), .acc(sum_port));
      assign out_result = out_acc;
    end
  endgenerate

  pe_pipeline #(.WIDTH(PORT_W), .STAGES(STAGES)) pipeline (
      .clk(clk), .rst(rst), .in_valid(in_valid), .in_data(sum_port), .out_valid(out_valid), .out_data(out_acc));
endmodule
`default_nettype wire

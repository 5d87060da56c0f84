// SPDX-License-Identifier: Apache-2.0
// The skew registers at a systolic array's edge: a word and its valid bit leave DELAY cycles after they entered
// (DELAY = 0: a wire), so that the operands of one streamed row meet their partial sums in every PE.
// Contract: out_valid/out_data equal in_valid/in_data from DELAY cycles earlier (pe_pipeline's, data held when idle).
`default_nettype none
module edge_skew #(
    parameter integer WIDTH = 8,
    parameter integer DELAY = 0  // >= 0
) (
    input  wire             clk,
    input  wire             rst,
    input  wire             in_valid,
    input  wire [WIDTH-1:0] in_data,
    output wire             out_valid,
    output wire [WIDTH-1:0] out_data
);
  generate
    if (DELAY == 0) begin : g_wire
      /* verilator lint_off UNUSEDSIGNAL */
      wire unused_clock = clk | rst;  // a wire needs no clock
      /* verilator lint_on UNUSEDSIGNAL */
      assign out_valid = in_valid;
      assign out_data  = in_data;
    end else begin : g_registers
      pe_pipeline #(.WIDTH(WIDTH), .STAGES(DELAY)) delay_line (
          .clk(clk), .rst(rst), .in_valid(in_valid), .in_data(in_data), .out_valid(out_valid), .out_data(out_data));
    end
  endgenerate
endmodule
`default_nettype wire

// SPDX-License-Identifier: Apache-2.0
`default_nettype none
// One PE with its a and b registers; its partial sum is the PE's output register, fed back into its c port except on
// a chain's first step.
module output_stationary_cell #(
    parameter integer A_W = 8,
    parameter integer B_W = 8,
    parameter integer ACC_W = 32,
    parameter [ACC_W-1:0] ZERO_ACC = {ACC_W{1'b0}}
) (
    input  wire             clk,
    input  wire             rst,
    input  wire             west_valid,
    input  wire [A_W+1:0]   west_lane,  // {first, last, a}
    output reg              east_valid,
    output reg  [A_W+1:0]   east_lane,
    input  wire             north_valid,
    input  wire [B_W-1:0]   north_b,
    output reg              south_valid,
    output reg  [B_W-1:0]   south_b,
    output reg              done,
    output wire [ACC_W-1:0] acc
);
  wire step = west_valid && north_valid;
  wire first = west_lane[A_W+1];

  always @(posedge clk) begin
    if (rst) begin
      east_valid <= 1'b0;
      east_lane <= {(A_W + 2){1'b0}};
      south_valid <= 1'b0;
      south_b <= {B_W{1'b0}};
      done <= 1'b0;
    end else begin
      east_valid <= west_valid;
      if (west_valid) east_lane <= west_lane;
      south_valid <= north_valid;
      if (north_valid) south_b <= north_b;
      done <= step && west_lane[A_W];
    end
  end

  /* verilator lint_off UNUSEDSIGNAL */
  wire unused_valid;  // the PE's valid bit: done marks the one output that matters
  /* verilator lint_on UNUSEDSIGNAL */
  array_pe pe (
      .clk(clk), .rst(rst), .in_valid(step), .in_a(west_lane[A_W-1:0]), .in_b(north_b),
      .in_c(first ? ZERO_ACC : acc), .out_valid(unused_valid), .out_acc(acc));
endmodule
`default_nettype wire

// SPDX-License-Identifier: Apache-2.0
`default_nettype none
// One PE of the array with its streamed-word register and the bypass path of a row beyond K (STAGES registers, like
// the PE's own pipeline, so that a bypassed partial sum keeps the timing of a computed one).
module stationary_cell #(
    parameter integer A_W = 8,
    parameter integer B_W = 8,
    parameter integer ACC_W = 32,
    parameter integer STAGES = 1,
    parameter integer STATIONARY_IS_B = 1,
    localparam integer S_W = (STATIONARY_IS_B != 0) ? B_W : A_W,
    localparam integer T_W = (STATIONARY_IS_B != 0) ? A_W : B_W
) (
    input  wire             clk,
    input  wire             rst,
    input  wire             bypass,
    input  wire [S_W-1:0]   stationary,
    input  wire             west_valid,
    input  wire [T_W-1:0]   west_word,
    output reg              east_valid,
    output reg  [T_W-1:0]   east_word,
    input  wire             north_valid,
    input  wire [ACC_W-1:0] north_psum,
    output wire             south_valid,
    output wire [ACC_W-1:0] south_psum
);
  always @(posedge clk) begin
    if (rst) begin
      east_valid <= 1'b0;
      east_word <= {T_W{1'b0}};
    end else begin
      east_valid <= west_valid;
      if (west_valid) east_word <= west_word;
    end
  end

  wire meet = west_valid && north_valid;
  wire pe_valid, bypass_valid;
  wire [ACC_W-1:0] pe_acc, bypass_psum;
  wire [A_W-1:0] pe_a;
  wire [B_W-1:0] pe_b;
  generate
    if (STATIONARY_IS_B != 0) begin : g_ws
      assign pe_a = west_word;
      assign pe_b = stationary;
    end else begin : g_is
      assign pe_a = stationary;
      assign pe_b = west_word;
    end
  endgenerate
  array_pe pe (
      .clk(clk), .rst(rst), .in_valid(meet && !bypass), .in_a(pe_a), .in_b(pe_b), .in_c(north_psum),
      .out_valid(pe_valid), .out_acc(pe_acc));
  pe_pipeline #(.WIDTH(ACC_W), .STAGES(STAGES)) bypass_path (
      .clk(clk), .rst(rst), .in_valid(meet && bypass), .in_data(north_psum),
      .out_valid(bypass_valid), .out_data(bypass_psum));
  assign south_valid = pe_valid || bypass_valid;
  assign south_psum = bypass_valid ? bypass_psum : pe_acc;
endmodule
`default_nettype wire

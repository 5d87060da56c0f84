// SPDX-License-Identifier: Apache-2.0
// A ROWS x COLS output-stationary systolic array of one PE kind (array_pe, the PE configuration's wrapper that the
// build generates), the register-transfer twin of pesim's cycle engine (sim/cycle/output_stationary_array.h).
//
// Each PE keeps one output's partial sum in the PE's own output register (a one-stage PE) and feeds it back.
// Reduction step k is presented whole: A's column k on the west side (row r's word in slice r, west_row_valid marks
// the rows in use) with the flags first (k = 0: start from ZERO_ACC) and last (k = K - 1), and B's row k on the north
// side (column c's word in slice c). Row r's word is delayed r cycles and column c's c cycles, then a words move
// east and b words south one PE per cycle, so PE (r, c) takes step k k + r + c cycles after it was presented.
// done[r * COLS + c] is high for the cycle after PE (r, c) took its last step; acc then holds its result.
`default_nettype none
module systolic_output_stationary #(
    parameter integer ROWS = 4,
    parameter integer COLS = 4,
    parameter integer A_W = 8,  // the PE's port widths
    parameter integer B_W = 8,
    parameter integer ACC_W = 32,
    parameter [63:0] ZERO_ACC = 64'd0  // the partial sum a chain starts from (the PE's zero_acc())
) (
    input  wire                       clk,
    input  wire                       rst,
    input  wire [ROWS-1:0]            west_row_valid,
    input  wire                       west_first,
    input  wire                       west_last,
    input  wire [ROWS*A_W-1:0]        west_a,
    input  wire [COLS-1:0]            north_col_valid,
    input  wire [COLS*B_W-1:0]        north_b,
    output wire [ROWS*COLS-1:0]       done,
    output wire [ROWS*COLS*ACC_W-1:0] acc
);
  // a lanes {first, last, a} with their valid bit going east (index c + 1 leaves cell c); b words with their valid bit
  // going south (index r + 1 leaves row r).
  wire [A_W+1:0] a_lane  [0:ROWS-1][0:COLS];
  wire           a_valid [0:ROWS-1][0:COLS];
  wire [B_W-1:0] b_lane  [0:ROWS][0:COLS-1];
  wire           b_valid [0:ROWS][0:COLS-1];

  genvar r, c;
  generate
    for (r = 0; r < ROWS; r = r + 1) begin : g_west
      edge_skew #(.WIDTH(A_W + 2), .DELAY(r)) skew (
          .clk(clk), .rst(rst), .in_valid(west_row_valid[r]), .in_data({west_first, west_last, west_a[r*A_W+:A_W]}),
          .out_valid(a_valid[r][0]), .out_data(a_lane[r][0]));
    end
    for (c = 0; c < COLS; c = c + 1) begin : g_north
      edge_skew #(.WIDTH(B_W), .DELAY(c)) skew (
          .clk(clk), .rst(rst), .in_valid(north_col_valid[c]), .in_data(north_b[c*B_W+:B_W]),
          .out_valid(b_valid[0][c]), .out_data(b_lane[0][c]));
    end
    for (r = 0; r < ROWS; r = r + 1) begin : g_row
      for (c = 0; c < COLS; c = c + 1) begin : g_cell
        output_stationary_cell #(.A_W(A_W), .B_W(B_W), .ACC_W(ACC_W), .ZERO_ACC(ZERO_ACC[ACC_W-1:0])) pe_cell (
            .clk(clk), .rst(rst),
            .west_valid(a_valid[r][c]), .west_lane(a_lane[r][c]), .east_valid(a_valid[r][c+1]), .east_lane(a_lane[r][c+1]),
            .north_valid(b_valid[r][c]), .north_b(b_lane[r][c]), .south_valid(b_valid[r+1][c]), .south_b(b_lane[r+1][c]),
            .done(done[r*COLS+c]), .acc(acc[(r*COLS+c)*ACC_W+:ACC_W]));
      end
    end
  endgenerate
endmodule

`default_nettype wire

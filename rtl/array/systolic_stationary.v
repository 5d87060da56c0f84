// SPDX-License-Identifier: Apache-2.0
// A ROWS x COLS weight- or input-stationary systolic array of one PE kind (array_pe, the PE configuration's wrapper
// that the build generates), the register-transfer twin of pesim's cycle engine (sim/cycle/stationary_array.h).
//
// One fold, as the engine runs it:
//   * load: ROWS cycles with `load` high. The stationary words shift down one row per cycle, the top row taking
//     north_word; after ROWS cycles row r holds the words presented on cycle ROWS-1-r. north_bypass travels down
//     with them: a row loaded with it passes partial sums on unchanged (the rows beyond the reduction length K).
//   * stream: streamed row t is presented whole on the west side (west_word, row r's word in slice r) together with
//     its partial sums (north_psum, column c's in slice c). Inside, row r's word is delayed r * STAGES cycles and
//     column c's partial sum c cycles; each streamed word then moves one column east per cycle and each partial sum
//     one row down per STAGES cycles (through the PE's pipeline). Column c's partial sum of row t leaves at the
//     bottom (south_valid[c], south_psum) t + (ROWS-1) * STAGES + c + STAGES - 1 cycles after row t was presented.
// PE (r, c) computes on a cycle when the streamed word and the partial sum meet there, both valid; ws feeds the
// streamed word to the PE's a port and the stationary one to b, is the other way round (STATIONARY_IS_B = 0).
`default_nettype none
module systolic_stationary #(
    parameter integer ROWS = 4,
    parameter integer COLS = 4,
    parameter integer A_W = 8,       // the PE's port widths
    parameter integer B_W = 8,
    parameter integer ACC_W = 32,
    parameter integer STAGES = 1,    // the PE's latency
    parameter integer STATIONARY_IS_B = 1,
    localparam integer S_W = (STATIONARY_IS_B != 0) ? B_W : A_W,  // stationary word
    localparam integer T_W = (STATIONARY_IS_B != 0) ? A_W : B_W   // streamed word
) (
    input  wire                  clk,
    input  wire                  rst,
    input  wire                  load,
    input  wire [COLS*S_W-1:0]   north_word,
    input  wire                  north_bypass,
    input  wire                  west_valid,
    input  wire [ROWS*T_W-1:0]   west_word,
    input  wire [COLS-1:0]       north_psum_valid,
    input  wire [COLS*ACC_W-1:0] north_psum,
    output wire [COLS-1:0]       south_valid,
    output wire [COLS*ACC_W-1:0] south_psum
);
  // Between the cells: streamed words going east (index c + 1 leaves cell c), partial sums going south (index r + 1
  // leaves row r), stationary words going south during a load.
  wire [T_W-1:0]   stream_word [0:ROWS-1][0:COLS];
  wire             stream_valid[0:ROWS-1][0:COLS];
  wire [ACC_W-1:0] psum        [0:ROWS][0:COLS-1];
  wire             psum_valid  [0:ROWS][0:COLS-1];
  reg  [S_W-1:0]   stationary  [0:ROWS-1][0:COLS-1];
  reg              bypass      [0:ROWS-1];

  genvar r, c;
  generate
    for (r = 0; r < ROWS; r = r + 1) begin : g_west
      edge_skew #(.WIDTH(T_W), .DELAY(r * STAGES)) skew (
          .clk(clk), .rst(rst), .in_valid(west_valid), .in_data(west_word[r*T_W+:T_W]),
          .out_valid(stream_valid[r][0]), .out_data(stream_word[r][0]));
      always @(posedge clk) begin
        if (rst) bypass[r] <= 1'b0;
        else if (load) bypass[r] <= (r == 0) ? north_bypass : bypass[(r == 0) ? 0 : r-1];
      end
    end
    for (c = 0; c < COLS; c = c + 1) begin : g_north
      edge_skew #(.WIDTH(ACC_W), .DELAY(c)) skew (
          .clk(clk), .rst(rst), .in_valid(north_psum_valid[c]), .in_data(north_psum[c*ACC_W+:ACC_W]),
          .out_valid(psum_valid[0][c]), .out_data(psum[0][c]));
      assign south_valid[c] = psum_valid[ROWS][c];
      assign south_psum[c*ACC_W+:ACC_W] = psum[ROWS][c];
    end
    for (r = 0; r < ROWS; r = r + 1) begin : g_row
      for (c = 0; c < COLS; c = c + 1) begin : g_cell
        always @(posedge clk) begin
          if (rst) stationary[r][c] <= {S_W{1'b0}};
          else if (load) stationary[r][c] <= (r == 0) ? north_word[c*S_W+:S_W] : stationary[(r == 0) ? 0 : r-1][c];
        end
        stationary_cell #(
            .A_W(A_W), .B_W(B_W), .ACC_W(ACC_W), .STAGES(STAGES), .STATIONARY_IS_B(STATIONARY_IS_B)
        ) pe_cell (
            .clk(clk), .rst(rst), .bypass(bypass[r]), .stationary(stationary[r][c]),
            .west_valid(stream_valid[r][c]), .west_word(stream_word[r][c]),
            .east_valid(stream_valid[r][c+1]), .east_word(stream_word[r][c+1]),
            .north_valid(psum_valid[r][c]), .north_psum(psum[r][c]),
            .south_valid(psum_valid[r+1][c]), .south_psum(psum[r+1][c]));
      end
    end
  endgenerate
endmodule

`default_nettype wire

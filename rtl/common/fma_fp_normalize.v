// SPDX-License-Identifier: Apache-2.0
// The array-edge output unit of fma_fp: an internal partial-sum word (possibly un-normalized) to the acc format.
// It only shifts left (as far as the exponent allows), so it is exact and never rounds. NaN becomes the canonical
// quiet NaN (sign clear), as in pesim's numeric core.
`default_nettype none
module fma_fp_normalize #(
    parameter integer ACC_EXP = 8,
    parameter integer ACC_MAN = 23,
    localparam integer P = ACC_MAN + 1,
    localparam integer WORD_W = 1 + ACC_EXP + P,
    localparam integer ACC_W = 1 + ACC_EXP + ACC_MAN
) (
    input  wire [WORD_W-1:0] word,
    output reg  [ACC_W-1:0]  acc
);
  localparam integer LZW = 32;
  localparam [ACC_EXP-1:0] EF_MAX = {ACC_EXP{1'b1}};


  wire             sign = word[WORD_W-1];
  wire [ACC_EXP-1:0] ef = word[WORD_W-2:P];
  wire [P-1:0]     sig = word[P-1:0];
  wire [ACC_EXP-1:0] ef_floor = (ef == 0) ? {{(ACC_EXP-1){1'b0}}, 1'b1} : ef;
  wire [LZW-1:0] lz;
  fma_fp_leading_zeros #(.W(P)) lzc (.v(sig), .count(lz));
  // Shift at most down to exponent field 1 (the subnormal scale).
  wire [LZW-1:0] room = {{(LZW-ACC_EXP){1'b0}}, ef_floor} - 1;
  wire [LZW-1:0] shift = (lz < room) ? lz : room;
  wire [P-1:0] sig_n = sig << shift;
  wire [ACC_EXP-1:0] ef_n = ef_floor - shift[ACC_EXP-1:0];

  always @* begin
    if (ef == EF_MAX) acc = (sig == 0) ? {sign, EF_MAX, {ACC_MAN{1'b0}}} : {1'b0, EF_MAX, 1'b1, {(ACC_MAN-1){1'b0}}};
    else if (sig == 0) acc = {sign, {(ACC_EXP+ACC_MAN){1'b0}}};
    else if (sig_n[P-1]) acc = {sign, ef_n, sig_n[P-2:0]};
    else acc = {sign, {ACC_EXP{1'b0}}, sig_n[P-2:0]};
  end
endmodule
`default_nettype wire

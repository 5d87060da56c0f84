// SPDX-License-Identifier: Apache-2.0
// The add-and-round half of fma_fp's datapath: an exact product term plus the partial sum c, rounded once (see
// models/pe/fma_fp/fma_fp_core.h for the arithmetic contract). The product comes in already formed, so PEs that
// make it without a multiplier (MixPE's shift-and-add) share this adder with fma_fp.
// Product term: value (-1)^p_sign * p_sig * 2^(p_top - PW + 1), i.e. p_top is the exponent of p_sig's top slot;
// p_zero, p_inf and p_nan (a NaN operand or 0 * inf) classify it.
// c and sum are internal partial-sum words: {sign, ef[ACC_EXP-1:0], sig[P-1:0]}, P = ACC_MAN + 1 with the leading
// bit explicit; value sig * 2^(max(ef,1) - ACC_BIAS - ACC_MAN); ef all ones is infinity (sig 0) or NaN.
// The sum is formed in a window of WD bits whose index WD-1 is the carry slot T+1 above the anchor T (the top
// significand slot of the larger operand). The smaller operand is aligned with a sticky bit; on effective
// subtraction with a truncated operand one extra unit is subtracted at index 0, so the bits at index >= 0 and the
// sticky describe the exact sum for round-to-nearest-even at any position at or above index 2, which the window
// width guarantees (WD = max(P, PW) + P + 3).
`default_nettype none
module fma_fp_add #(
    parameter integer PW = 16,          // product significand width
    parameter integer ACC_EXP = 8,
    parameter integer ACC_MAN = 23,
    parameter integer ACC_BIAS = 127,
    parameter integer WINDOW = 0,       // leading-one search window and maximum left shift, bits; 0 = full
    localparam integer EW = 32,         // signed exponent/position arithmetic width (as integer params)
    localparam integer P = ACC_MAN + 1,
    localparam integer WORD_W = 1 + ACC_EXP + P
) (
    input  wire                 p_sign,
    input  wire [PW-1:0]        p_sig,
    input  wire signed [EW-1:0] p_top,
    input  wire                 p_zero,
    input  wire                 p_inf,
    input  wire                 p_nan,
    input  wire [WORD_W-1:0]    c,
    output reg  [WORD_W-1:0]    sum
);
  localparam integer WM = (P > PW) ? P : PW;
  localparam integer WD = WM + P + 3;              // datapath window width
  localparam integer LZW = 32;                     // leading-zero count width
  localparam [ACC_EXP-1:0] EF_MAX = {ACC_EXP{1'b1}};

  wire             sc = c[WORD_W-1];
  wire [ACC_EXP-1:0] ec = c[WORD_W-2:P];
  wire [P-1:0]     sig_c = c[P-1:0];
  wire c_special = ec == EF_MAX;
  wire c_nan = c_special && sig_c != 0;
  wire c_inf = c_special && sig_c == 0;
  wire c_zero = !c_special && sig_c == 0;

  wire sp = p_sign;
  wire [PW-1:0] sig_p = p_sig;
  wire signed [EW-1:0] top_p = p_top;
  wire nan = p_nan || c_nan || (p_inf && c_inf && sp != sc);
  wire inf = p_inf || c_inf;
  wire inf_sign = p_inf ? sp : sc;

  // ---- anchor and alignment (positions are exponents of bit slots)
  wire signed [EW-1:0] top_c = $signed({{(EW-ACC_EXP){1'b0}}, (ec == 0) ? {{(ACC_EXP-1){1'b0}}, 1'b1} : ec}) - ACC_BIAS;
  wire signed [EW-1:0] min_top = 1 - ACC_BIAS;    // top slot of the smallest normal
  wire signed [EW-1:0] top_nz = (p_zero || (!c_zero && top_c > top_p)) ? top_c : top_p;
  // A product below the smallest normal's slot (c zero) is rounded on the subnormal grid: anchor there instead.
  wire signed [EW-1:0] anchor = (top_nz < min_top - 1) ? min_top - 1 : top_nz;
  wire signed [EW-1:0] shift_p = p_zero ? 0 : anchor - top_p;
  wire signed [EW-1:0] shift_c = c_zero ? 0 : anchor - top_c;

  wire [WD-1:0] p_vec = {1'b0, p_zero ? {PW{1'b0}} : sig_p, {(WD-1-PW){1'b0}}};
  wire [WD-1:0] c_vec = {1'b0, sig_c, {(WD-1-P){1'b0}}};
  wire [WD-1:0] p_al, c_al;
  wire p_sticky, c_sticky;
  fma_fp_align #(.W(WD), .EW(EW)) align_p (.vec(p_vec), .shift(shift_p), .aligned(p_al), .sticky(p_sticky));
  fma_fp_align #(.W(WD), .EW(EW)) align_c (.vec(c_vec), .shift(shift_c), .aligned(c_al), .sticky(c_sticky));

  // ---- add or subtract
  wire subtract = sp != sc && !p_zero && !c_zero;
  wire [WD:0] diff = {1'b0, p_al} - {1'b0, c_al};
  reg [WD-1:0] mag;
  reg sum_sign, sticky;
  always @* begin
    sticky = p_sticky | c_sticky;
    if (!subtract) begin
      mag = p_al + c_al;
      sum_sign = p_zero ? sc : sp;
    end else if (c_sticky) begin
      mag = p_al - c_al - 1'b1;
      sum_sign = sp;
    end else if (p_sticky) begin
      mag = c_al - p_al - 1'b1;
      sum_sign = sc;
    end else if (diff[WD]) begin
      mag = c_al - p_al;
      sum_sign = sc;
    end else begin
      mag = diff[WD-1:0];
      sum_sign = sp;
    end
  end

  // ---- (approximate) normalization and rounding

  wire [LZW-1:0] lz;
  fma_fp_leading_zeros #(.W(WD)) lzc (.v(mag), .count(lz));
  wire signed [EW-1:0] lz_s = $signed(lz);
  wire signed [EW-1:0] window_shift = (WINDOW == 0 || lz_s <= WINDOW + 1) ? lz_s : WINDOW + 1;
  wire signed [EW-1:0] floor_shift = anchor + 1 - min_top;   // the shift that puts the top slot at min_top
  wire signed [EW-1:0] shift_left = (window_shift > floor_shift) ? floor_shift : window_shift;
  wire [WD-1:0] normalized = mag << shift_left;
  wire [P-1:0] sig_trunc = normalized[WD-1:WD-P];
  wire round_bit = normalized[WD-P-1];
  wire sticky_all = sticky || (normalized[WD-P-2:0] != 0);
  wire [P:0] sig_rounded = {1'b0, sig_trunc} + {{P{1'b0}}, round_bit && (sticky_all || sig_trunc[0])};
  wire carry = sig_rounded[P];
  wire [P-1:0] sig_final = carry ? {1'b1, {(P-1){1'b0}}} : sig_rounded[P-1:0];
  wire signed [EW-1:0] ef_final = anchor + 1 - shift_left + ACC_BIAS + (carry ? 1 : 0);

  always @* begin
    if (nan) sum = {1'b0, EF_MAX, 2'b01, {(P-2){1'b0}}};
    else if (inf) sum = {inf_sign, EF_MAX, {P{1'b0}}};
    else if (p_zero && c_zero) sum = {sp & sc, {(ACC_EXP+P){1'b0}}};
    else if (sig_final == 0) sum = {sum_sign && !(mag == 0 && !sticky), {(ACC_EXP+P){1'b0}}};
    else if (ef_final >= $signed({{(EW-ACC_EXP){1'b0}}, EF_MAX})) sum = {sum_sign, EF_MAX, {P{1'b0}}};
    else sum = {sum_sign, ef_final[ACC_EXP-1:0], sig_final};
  end
endmodule
`default_nettype wire

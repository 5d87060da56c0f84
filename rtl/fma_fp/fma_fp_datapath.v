// SPDX-License-Identifier: Apache-2.0
// One multiply-add step of fma_fp on the internal partial-sum word (see models/pe/fma_fp/fma_fp_core.h for the
// arithmetic contract; this is its combinational datapath).
// Word layout: {sign, ef[ACC_EXP-1:0], sig[P-1:0]}, P = ACC_MAN + 1 with the leading bit explicit; value
// sig * 2^(max(ef,1) - ACC_BIAS - ACC_MAN); ef all ones is infinity (sig 0) or NaN.
// The sum is formed in a window of WD bits whose index WD-1 is the carry slot T+1 above the anchor T (the top
// significand slot of the larger operand). The smaller operand is aligned with a sticky bit; on effective
// subtraction with a truncated operand one extra unit is subtracted at index 0, so the bits at index >= 0 and the
// sticky describe the exact sum for round-to-nearest-even at any position at or above index 2, which the window
// width guarantees (WD = max(P, 2*PIN) + P + 3).
`default_nettype none
module fma_fp_datapath #(
    parameter integer IN_EXP = 8,
    parameter integer IN_MAN = 7,
    parameter integer IN_BIAS = 127,
    parameter integer IN_HAS_INF = 1,   // 0: OCP E4M3 style, no infinity, NaN only at S.1..1.1..1
    parameter integer ACC_EXP = 8,
    parameter integer ACC_MAN = 23,
    parameter integer ACC_BIAS = 127,
    parameter integer WINDOW = 0,       // leading-one search window and maximum left shift, bits; 0 = full
    localparam integer IN_W = 1 + IN_EXP + IN_MAN,
    localparam integer P = ACC_MAN + 1,
    localparam integer WORD_W = 1 + ACC_EXP + P
) (
    input  wire [IN_W-1:0]   a,
    input  wire [IN_W-1:0]   b,
    input  wire [WORD_W-1:0] c,
    output reg  [WORD_W-1:0] sum
);
  localparam integer PIN = IN_MAN + 1;
  localparam integer PW = 2 * PIN;                 // product significand width
  localparam integer WM = (P > PW) ? P : PW;
  localparam integer WD = WM + P + 3;              // datapath window width
  localparam integer EW = 32;                      // signed exponent/position arithmetic width (as integer params)
  localparam integer LZW = 32;                     // leading-zero count width
  localparam [ACC_EXP-1:0] EF_MAX = {ACC_EXP{1'b1}};

  // ---- operand decode
  wire             sa = a[IN_W-1], sb = b[IN_W-1];
  wire [IN_EXP-1:0] ea = a[IN_W-2:IN_MAN], eb = b[IN_W-2:IN_MAN];
  wire [IN_MAN-1:0] ma = a[IN_MAN-1:0], mb = b[IN_MAN-1:0];
  wire a_top = &ea, b_top = &eb;
  wire a_nan = (IN_HAS_INF != 0) ? (a_top && ma != 0) : (a_top && &ma);
  wire b_nan = (IN_HAS_INF != 0) ? (b_top && mb != 0) : (b_top && &mb);
  wire a_inf = (IN_HAS_INF != 0) && a_top && ma == 0;
  wire b_inf = (IN_HAS_INF != 0) && b_top && mb == 0;
  wire a_zero = ea == 0 && ma == 0;
  wire b_zero = eb == 0 && mb == 0;
  wire [PIN-1:0] sig_a = {|ea, ma};
  wire [PIN-1:0] sig_b = {|eb, mb};
  wire signed [EW-1:0] scale_a = $signed({{(EW-IN_EXP){1'b0}}, (ea == 0) ? {{(IN_EXP-1){1'b0}}, 1'b1} : ea}) - IN_BIAS - IN_MAN;
  wire signed [EW-1:0] scale_b = $signed({{(EW-IN_EXP){1'b0}}, (eb == 0) ? {{(IN_EXP-1){1'b0}}, 1'b1} : eb}) - IN_BIAS - IN_MAN;

  wire             sc = c[WORD_W-1];
  wire [ACC_EXP-1:0] ec = c[WORD_W-2:P];
  wire [P-1:0]     sig_c = c[P-1:0];
  wire c_special = ec == EF_MAX;
  wire c_nan = c_special && sig_c != 0;
  wire c_inf = c_special && sig_c == 0;
  wire c_zero = !c_special && sig_c == 0;

  // ---- product and specials
  wire [PW-1:0] sig_p = sig_a * sig_b;
  wire sp = sa ^ sb;
  wire p_zero = a_zero || b_zero;
  wire p_inf = (a_inf || b_inf) && !p_zero;
  wire nan = a_nan || b_nan || c_nan || ((a_inf || b_inf) && p_zero) || (p_inf && c_inf && sp != sc);
  wire inf = p_inf || c_inf;
  wire inf_sign = p_inf ? sp : sc;

  // ---- anchor and alignment (positions are exponents of bit slots)
  wire signed [EW-1:0] top_p = scale_a + scale_b + PW - 1;
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

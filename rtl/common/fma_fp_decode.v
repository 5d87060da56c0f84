// SPDX-License-Identifier: Apache-2.0
// A floating-point operand split for a fused datapath: value (-1)^sign * sig * 2^scale with the leading bit of sig
// explicit (0 for subnormals and zero), and its class. HAS_INF=0 is the OCP E4M3 style: no infinity, NaN only at
// S.1..1.1..1.
`default_nettype none
module fma_fp_decode #(
    parameter integer EXP = 8,
    parameter integer MAN = 7,
    parameter integer BIAS = 127,
    parameter integer HAS_INF = 1,
    localparam integer EW = 32,
    localparam integer W = 1 + EXP + MAN
) (
    input  wire [W-1:0]         word,
    output wire                 sign,
    output wire [MAN:0]         sig,
    output wire signed [EW-1:0] scale,  // exponent of sig's LSB
    output wire                 zero,
    output wire                 inf,
    output wire                 nan
);
  wire [EXP-1:0] e = word[W-2:MAN];
  wire [MAN-1:0] m = word[MAN-1:0];
  wire top = &e;
  assign sign = word[W-1];
  assign nan = (HAS_INF != 0) ? (top && m != 0) : (top && &m);
  assign inf = (HAS_INF != 0) && top && m == 0;
  assign zero = e == 0 && m == 0;
  assign sig = {|e, m};
  assign scale = $signed({{(EW-EXP){1'b0}}, (e == 0) ? {{(EXP-1){1'b0}}, 1'b1} : e}) - BIAS - MAN;
endmodule
`default_nettype wire

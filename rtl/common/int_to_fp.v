// SPDX-License-Identifier: Apache-2.0
// A two's-complement integer to an IEEE float, exactly: IW <= MAN + 1 (every IW-bit magnitude fits the
// significand) and the float's exponent range covers 2^(IW-1). Zero becomes +0.
`default_nettype none
module int_to_fp #(
    parameter integer IW = 16,
    parameter integer EXP = 8,
    parameter integer MAN = 23,
    parameter integer BIAS = 127,
    localparam integer W = 1 + EXP + MAN
) (
    input  wire [IW-1:0] value,
    output wire [W-1:0]  fp
);
  localparam integer LZW = 32;
  wire negative = value[IW-1];
  wire [IW-1:0] magnitude = negative ? -value : value;
  wire [LZW-1:0] lz;
  fma_fp_leading_zeros #(.W(IW)) lzc (.v(magnitude), .count(lz));
  /* verilator lint_off UNUSEDSIGNAL */  // the leading one is implicit; the exponent fits EXP bits
  wire [IW-1:0] normalized = magnitude << lz;
  wire [LZW-1:0] exponent = IW - 1 - lz + BIAS;
  /* verilator lint_on UNUSEDSIGNAL */
  wire [MAN-1:0] fraction;
  generate
    if (IW > 1) begin : g_fraction
      if (MAN > IW - 1) begin : g_pad
        assign fraction = {normalized[IW-2:0], {(MAN-IW+1){1'b0}}};
      end else begin : g_exact
        assign fraction = normalized[IW-2:0];
      end
    end else begin : g_one_bit
      assign fraction = {MAN{1'b0}};
    end
  endgenerate
  assign fp = (magnitude == 0) ? {W{1'b0}} : {negative, exponent[EXP-1:0], fraction};
endmodule
`default_nettype wire

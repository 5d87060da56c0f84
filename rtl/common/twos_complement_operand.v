// SPDX-License-Identifier: Apache-2.0
// An operand as a two's-complement word: a signed operand as it is, an unsigned one with a zero sign bit on top.
`default_nettype none
module twos_complement_operand #(
    parameter integer W = 8,
    parameter integer SIGNED = 1,
    localparam integer OUT_W = W + ((SIGNED != 0) ? 0 : 1)
) (
    input  wire [W-1:0]     in,
    output wire [OUT_W-1:0] out
);
  generate
    if (SIGNED != 0) begin : g_signed
      assign out = in;
    end else begin : g_unsigned
      assign out = {1'b0, in};
    end
  endgenerate
endmodule
`default_nettype wire

// SPDX-License-Identifier: Apache-2.0
// A BitBrick: a 2-bit x 2-bit multiplier. Each digit gains a sign-extension bit (the digit's top bit when it is the
// top digit of a signed operand, else 0), and the two 3-bit two's-complement digits, each in -2..3, multiply exactly
// into -6..9.
`default_nettype none
module bitfusion_brick (
    input  wire       a_signed,  // a is the top digit of a signed operand
    input  wire [1:0] a,
    input  wire       b_signed,
    input  wire [1:0] b,
    output wire [4:0] product    // two's complement
);
  wire [2:0] a_x = {a_signed & a[1], a};
  wire [2:0] b_x = {b_signed & b[1], b};
  assign product = $signed(a_x) * $signed(b_x);
endmodule
`default_nettype wire

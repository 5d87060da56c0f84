// SPDX-License-Identifier: Apache-2.0
// Right shift with a sticky bit: aligned = vec >> shift, sticky = OR of the bits shifted out. shift >= 0.
`default_nettype none
module fma_fp_align #(
    parameter integer W = 32,
    parameter integer EW = 32
) (
    input  wire [W-1:0]         vec,
    input  wire signed [EW-1:0] shift,
    output wire [W-1:0]         aligned,
    output wire                 sticky
);
  wire out_of_range = shift >= W;
  wire [2*W-1:0] wide = {vec, {W{1'b0}}} >> (out_of_range ? 0 : shift);
  assign aligned = out_of_range ? {W{1'b0}} : wide[2*W-1:W];
  assign sticky = out_of_range ? (vec != 0) : (wide[W-1:0] != 0);
endmodule
`default_nettype wire

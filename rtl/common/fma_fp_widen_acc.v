// SPDX-License-Identifier: Apache-2.0
// An ACC-format IEEE word to the internal partial-sum word of fma_fp_add.v, exactly: the leading bit becomes
// explicit, subnormals keep exponent field 1 (their scale), infinities and NaNs keep exponent field all ones.
`default_nettype none
module fma_fp_widen_acc #(
    parameter integer ACC_EXP = 8,
    parameter integer ACC_MAN = 23,
    localparam integer ACC_W = 1 + ACC_EXP + ACC_MAN
) (
    input  wire [ACC_W-1:0] acc,
    output wire [ACC_W:0]   word
);
  wire [ACC_EXP-1:0] e = acc[ACC_W-2:ACC_MAN];
  wire [ACC_MAN-1:0] m = acc[ACC_MAN-1:0];
  assign word = {acc[ACC_W-1], (e == 0 && m != 0) ? {{(ACC_EXP-1){1'b0}}, 1'b1} : e,
                 (e != 0 && e != {ACC_EXP{1'b1}}) || (e == {ACC_EXP{1'b1}} && m != 0), m};
endmodule
`default_nettype wire

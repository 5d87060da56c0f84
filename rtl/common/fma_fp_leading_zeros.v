// SPDX-License-Identifier: Apache-2.0
// Leading-zero count of a W-bit vector (W when the vector is zero), as a 32-bit count.
`default_nettype none
module fma_fp_leading_zeros #(
    parameter integer W = 32
) (
    input  wire [W-1:0] v,
    output reg  [31:0]  count
);
  integer i;
  reg found;
  always @* begin
    count = W;
    found = 1'b0;
    for (i = W - 1; i >= 0; i = i - 1) begin
      if (!found && v[i]) begin
        count = W - 1 - i;
        found = 1'b1;
      end
    end
  end
endmodule
`default_nettype wire

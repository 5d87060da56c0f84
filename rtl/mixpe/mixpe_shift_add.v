// SPDX-License-Identifier: Apache-2.0
// Multiplier-free product of a multiplicand m and a low-bit weight q: the sum over q's set bits of m << i, the MSB's
// copy subtracted when q is signed. Bits [FIRST, LAST] of q take part (the whole weight in one cycle, or one bit per
// cycle in a bit-serial datapath); the result is exact in PRW bits (two's complement).
`default_nettype none
module mixpe_shift_add #(
    parameter integer MW = 8,        // multiplicand width
    parameter integer M_SIGNED = 1,
    parameter integer W_BITS = 4,
    parameter integer W_SIGNED = 0,
    localparam integer PRW = MW + W_BITS + ((M_SIGNED != 0) ? 0 : 1)
) (
    input  wire [MW-1:0]      m,
    input  wire [W_BITS-1:0]  q,
    input  wire [W_BITS-1:0]  bit_enable,  // which of q's bits take part
    output reg  [PRW-1:0]     product
);
  wire [PRW-1:0] m_ext = {{(PRW-MW){(M_SIGNED != 0) & m[MW-1]}}, m};
  integer i;
  always @* begin
    product = {PRW{1'b0}};
    for (i = 0; i < W_BITS; i = i + 1) begin
      if (q[i] && bit_enable[i]) begin
        if (W_SIGNED != 0 && i == W_BITS - 1) product = product - (m_ext << i);
        else product = product + (m_ext << i);
      end
    end
  end
endmodule
`default_nettype wire

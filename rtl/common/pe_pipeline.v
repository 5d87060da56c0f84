// SPDX-License-Identifier: Apache-2.0
// The output pipeline shared by every PE kind: STAGES registers after the PE's combinational datapath.
// Contract: out_valid/out_data equal in_valid/in_data from STAGES cycles earlier. A stage's data register loads
// only when the valid bit entering it is 1 (it holds otherwise, so idle cycles do not toggle the datapath
// registers); the valid bits always shift. Synchronous active-high reset clears valid and data registers.
`default_nettype none
module pe_pipeline #(
    parameter integer WIDTH  = 32,
    parameter integer STAGES = 1   // >= 1
) (
    input  wire             clk,
    input  wire             rst,
    input  wire             in_valid,
    input  wire [WIDTH-1:0] in_data,
    output wire             out_valid,
    output wire [WIDTH-1:0] out_data
);
  reg [STAGES-1:0] valid_q;
  reg [WIDTH-1:0]  data_q [0:STAGES-1];
  integer s;
  always @(posedge clk) begin
    if (rst) begin
      valid_q <= {STAGES{1'b0}};
      for (s = 0; s < STAGES; s = s + 1) data_q[s] <= {WIDTH{1'b0}};
    end else begin
      valid_q[0] <= in_valid;
      if (in_valid) data_q[0] <= in_data;
      for (s = 1; s < STAGES; s = s + 1) begin
        valid_q[s] <= valid_q[s-1];
        if (valid_q[s-1]) data_q[s] <= data_q[s-1];
      end
    end
  end
  assign out_valid = valid_q[STAGES-1];
  assign out_data  = data_q[STAGES-1];
endmodule
`default_nettype wire

// SPDX-License-Identifier: Apache-2.0
// Fixed-point multiply-accumulate PE with Vitis HLS ap_fixed semantics: out = C(c + a * b), where a, b and c are
// ap_[u]fixed<W, I> raw values (r represents r * 2^(I - W)), the product and the sum are exact, and the one
// conversion into C quantizes with Q_MODE and then applies O_MODE (see fixed_quantize). Bit-exact against
// pesim::num's encode_fixed of the exact sum. The result leaves STAGES cycles after its operands (pe_pipeline).
//
// KHOT = 0: in_b is the B-format raw value and the product uses a multiplier.
// KHOT = K >= 1: multiplier-free (QFX K-hot) weights. in_b holds K terms of TW = 2 + EXP_BITS bits, term k in
//   in_b[(k+1)*TW-1 : k*TW] as {enable, negative, exp[EXP_BITS-1:0]}, worth
//   enable ? (negative ? -1 : +1) * 2^(exp - (B_W - B_I)) : 0 for every exp pattern. The weight is the exact sum of
//   the K terms (it may exceed B's range); a * weight is K shifted copies of a added or subtracted. B_SIGNED is
//   not used.
`default_nettype none
module mac_fixed #(
    parameter integer A_W      = 8,   // 1..32
    parameter integer A_I      = 3,
    parameter integer A_SIGNED = 1,
    parameter integer B_W      = 8,   // 1..32
    parameter integer B_I      = 2,
    parameter integer B_SIGNED = 1,
    parameter integer C_W      = 12,  // 1..62
    parameter integer C_I      = 6,
    parameter integer C_SIGNED = 1,
    parameter integer Q_MODE   = 5,   // AP_TRN
    parameter integer O_MODE   = 3,   // AP_WRAP
    parameter integer KHOT     = 0,
    parameter integer STAGES   = 1,   // >= 1
    localparam integer EXP_BITS = (B_W <= 2) ? 1 : $clog2(B_W),
    localparam integer A_BITS   = A_W,
    localparam integer B_BITS   = (KHOT == 0) ? B_W : KHOT * (2 + EXP_BITS),
    localparam integer ACC_BITS = C_W
) (
    input  wire                clk,
    input  wire                rst,
    input  wire                in_valid,
    input  wire [A_BITS-1:0]   in_a,
    input  wire [B_BITS-1:0]   in_b,
    input  wire [ACC_BITS-1:0] in_c,
    output wire                out_valid,
    output wire [ACC_BITS-1:0] out_acc,
    output wire [ACC_BITS-1:0] out_result
);
  localparam integer FA = A_W - A_I;  // fraction bits (may be negative)
  localparam integer FB = B_W - B_I;
  localparam integer FC = C_W - C_I;
  localparam integer FP = FA + FB;                  // fraction bits of the exact product
  localparam integer FS = (FP > FC) ? FP : FC;      // fraction bits of the exact sum
  localparam integer SP = FS - FP;                  // left shifts aligning the product and c to FS
  localparam integer SC = FS - FC;
  // Operands as two's complement: an unsigned operand gains a zero sign bit.
  localparam integer AXW = A_W + ((A_SIGNED != 0) ? 0 : 1);
  localparam integer CXW = C_W + ((C_SIGNED != 0) ? 0 : 1);
  localparam integer TW = 2 + EXP_BITS;
  localparam integer EMAX = (1 << EXP_BITS) - 1;
  // Product width: signed AXW x BXW fits AXW + BXW bits; a K-hot sum of +-a * 2^e (e <= EMAX) fits
  // AXW + EMAX + 1 bits per term plus the growth of K terms.
  localparam integer BXW = B_W + ((B_SIGNED != 0) ? 0 : 1);
  localparam integer PXW = (KHOT == 0) ? AXW + BXW : AXW + EMAX + 1 + $clog2(KHOT + 1);
  localparam integer SW = ((PXW + SP > CXW + SC) ? PXW + SP : CXW + SC) + 1;  // exact sum, with its carry

  wire [AXW-1:0] a_x;
  wire [CXW-1:0] c_x;
  twos_complement_operand #(.W(A_W), .SIGNED(A_SIGNED)) a_operand (.in(in_a), .out(a_x));
  twos_complement_operand #(.W(C_W), .SIGNED(C_SIGNED)) c_operand (.in(in_c), .out(c_x));

  wire [PXW-1:0] prod;  // exact a * b (or a * weight), FP fraction bits
  generate
    if (KHOT == 0) begin : g_mul
      wire [BXW-1:0] b_x;
      twos_complement_operand #(.W(B_W), .SIGNED(B_SIGNED)) b_operand (.in(in_b), .out(b_x));
      assign prod = $signed(a_x) * $signed(b_x);
    end else begin : g_khot
      // Each term adds (a << exp), or its one's complement plus a carry-in when negative, or 0 when disabled:
      // K shifters and K adders, one small count of carry-ins.
      localparam integer SHW = AXW + EMAX;  // a << exp, exact
      localparam integer NW = $clog2(KHOT + 1);
      reg [PXW-1:0] acc;
      reg [SHW-1:0] shifted;
      reg [PXW-1:0] addend;
      reg [NW-1:0]  n_neg;
      reg [TW-1:0]  term;
      integer k;
      always @* begin
        acc = {PXW{1'b0}};
        n_neg = {NW{1'b0}};
        for (k = 0; k < KHOT; k = k + 1) begin
          term = in_b[k*TW+:TW];
          shifted = {{EMAX{a_x[AXW-1]}}, a_x} << term[EXP_BITS-1:0];
          addend = {{(PXW - SHW){shifted[SHW-1]}}, shifted} & {PXW{term[TW-1]}};
          if (term[TW-1] & term[TW-2]) begin
            addend = ~addend;
            n_neg = n_neg + 1'b1;
          end
          acc = acc + addend;
        end
      end
      assign prod = acc + {{(PXW - NW){1'b0}}, n_neg};
    end
  endgenerate

  wire [SW-1:0] prod_al = {{(SW - PXW){prod[PXW-1]}}, prod} << SP;
  wire [SW-1:0] c_al = {{(SW - CXW){c_x[CXW-1]}}, c_x} << SC;
  wire [SW-1:0] sum = prod_al + c_al;  // exact c + a * b, FS fraction bits

  wire [C_W-1:0] sum_q;
  fixed_quantize #(
      .IN_W      (SW),
      .IN_F      (FS),
      .OUT_W     (C_W),
      .OUT_I     (C_I),
      .OUT_SIGNED(C_SIGNED),
      .Q_MODE    (Q_MODE),
      .O_MODE    (O_MODE)
  ) u_quantize (
      .in_sum (sum),
      .out_raw(sum_q)
  );

  pe_pipeline #(
      .WIDTH (ACC_BITS),
      .STAGES(STAGES)
  ) u_pipeline (
      .clk      (clk),
      .rst      (rst),
      .in_valid (in_valid),
      .in_data  (sum_q),
      .out_valid(out_valid),
      .out_data (out_acc)
  );
  assign out_result = out_acc;
endmodule
`default_nettype wire

// SPDX-License-Identifier: Apache-2.0
// Converts an exact two's-complement value into ap_fixed<OUT_W, OUT_I, Q_MODE, O_MODE> (ap_ufixed when
// OUT_SIGNED = 0), bit for bit as pesim::num::encode_fixed does: quantize once to OUT_F = OUT_W - OUT_I fraction
// bits, then apply the overflow mode to the quantized value. Combinational.
// in_sum holds the integer S of the value S * 2^-IN_F; IN_F and OUT_I may be negative.
// Q_MODE (= pesim::num::Quantization): 0 AP_RND, 1 AP_RND_ZERO, 2 AP_RND_MIN_INF, 3 AP_RND_INF, 4 AP_RND_CONV,
//   5 AP_TRN, 6 AP_TRN_ZERO.
// O_MODE (= pesim::num::Overflow): 0 AP_SAT, 1 AP_SAT_ZERO, 2 AP_SAT_SYM, 3 AP_WRAP, 4 AP_WRAP_SM.
// Like encode_fixed, every mode is defined for unsigned outputs too: AP_SAT and AP_SAT_SYM clamp negative values
// to 0, and AP_WRAP_SM (which pesim's format validation rejects for unsigned) follows the same bit rule as signed.
`default_nettype none
module fixed_quantize #(
    parameter integer IN_W       = 16,  // >= 1
    parameter integer IN_F       = 8,
    parameter integer OUT_W      = 8,   // >= 1
    parameter integer OUT_I      = 4,
    parameter integer OUT_SIGNED = 1,
    parameter integer Q_MODE     = 5,
    parameter integer O_MODE     = 3
) (
    input  wire [IN_W-1:0]  in_sum,
    output reg  [OUT_W-1:0] out_raw
);
  localparam integer OUT_F = OUT_W - OUT_I;
  localparam integer D = IN_F - OUT_F;  // fraction bits dropped (> 0) or appended (<= 0)
  // Working width of the quantized integer: all of floor(S * 2^-D) plus a rounding carry, and at least two bits
  // above the output so the range check and AP_WRAP_SM's bit above the kept MSB are always present.
  localparam integer QX = ((IN_W - D > OUT_W) ? IN_W - D : OUT_W) + 2;

  wire sum_neg = in_sum[IN_W-1];
  wire [QX-1:0] floor_q;  // floor(S * 2^-D): the value before rounding (AP_WRAP_SM reads it)
  wire [QX-1:0] q;        // the quantized value, in units of the output LSB

  generate
    if (D > 0) begin : g_drop
      localparam integer SEW = ((IN_W > D) ? IN_W : D + 1) + 1;  // holds every dropped bit and a sign
      wire [SEW-1:0] s_ext = {{(SEW - IN_W){sum_neg}}, in_sum};
      wire half = s_ext[D-1];  // first dropped bit
      wire below;              // any lower dropped bit
      if (D >= 2) begin : g_below
        assign below = |s_ext[D-2:0];
      end else begin : g_no_below
        assign below = 1'b0;
      end
      assign floor_q = {{(QX - (SEW - D)){sum_neg}}, s_ext[SEW-1:D]};
      // Round-to-integer increments of the floor, in the signed domain; each matches round_increment() applied
      // to the magnitude with the value's sign (e.g. AP_RND_CONV: ties go to the even floor/ceiling).
      reg inc;
      always @* begin
        case (Q_MODE)
          0:       inc = half;                                 // ties toward +inf
          1:       inc = half & (below | sum_neg);             // ties toward zero
          2:       inc = half & below;                         // ties toward -inf
          3:       inc = half & (below | ~sum_neg);            // ties away from zero
          4:       inc = half & (below | floor_q[0]);          // ties to even
          6:       inc = sum_neg & (half | below);             // toward zero
          default: inc = 1'b0;                                 // 5, AP_TRN: floor
        endcase
      end
      assign q = floor_q + {{(QX - 1){1'b0}}, inc};
    end else begin : g_exact
      // No bits are dropped: the value is exact in the output's LSB units.
      wire [QX-1:0] s_ext = {{(QX - IN_W){sum_neg}}, in_sum};
      assign floor_q = s_ext << (-D);
      assign q = floor_q;
    end
  endgenerate

  localparam [OUT_W-1:0] ONES = {OUT_W{1'b1}};
  localparam [OUT_W-1:0] LOW_ONES = ONES >> 1;  // all bits below the MSB
  localparam [OUT_W-1:0] MAX_RAW = (OUT_SIGNED != 0) ? LOW_ONES : ONES;
  localparam [OUT_W-1:0] MIN_RAW = (OUT_SIGNED != 0) ? ~LOW_ONES : {OUT_W{1'b0}};
  localparam [OUT_W-1:0] NEG_MAX_RAW = (OUT_SIGNED != 0) ? ~LOW_ONES + 1'b1 : {OUT_W{1'b0}};  // -max, 0 if unsigned
  localparam [QX-1:0] MIN_Q = {QX{1'b1}} << (OUT_W - 1);  // the signed minimum, -2^(OUT_W-1)

  wire q_neg = q[QX-1];
  wire [OUT_W-1:0] wrapped = q[OUT_W-1:0];
  wire [QX-OUT_W:0] q_top = q[QX-1:OUT_W-1];  // sign bit of the output and everything above it
  wire in_range;
  generate
    if (OUT_SIGNED != 0) begin : g_signed_range
      // AP_SAT_SYM treats the minimum code itself as out of range, mapping it to -max (as the HLS library does).
      assign in_range = ((&q_top) | ~(|q_top)) & ~(O_MODE == 2 && q == MIN_Q);
    end else begin : g_unsigned_range
      assign in_range = ~(|q_top[QX-OUT_W:1]);
    end
  endgenerate

  // AP_WRAP_SM: when the wrapped sign differs from lD, the bit just above the kept MSB of the unrounded floor,
  // invert the bits below the sign and make the sign lD.
  wire lost_d = floor_q[OUT_W];
  wire [OUT_W-1:0] wrapped_sm = (wrapped[OUT_W-1] == lost_d) ? wrapped
                                : ((~wrapped & LOW_ONES) | (lost_d ? ~LOW_ONES : {OUT_W{1'b0}}));

  always @* begin
    if (in_range) begin
      out_raw = wrapped;
    end else begin
      case (O_MODE)
        0:       out_raw = q_neg ? MIN_RAW : MAX_RAW;
        1:       out_raw = {OUT_W{1'b0}};
        2:       out_raw = q_neg ? NEG_MAX_RAW : MAX_RAW;
        4:       out_raw = wrapped_sm;
        default: out_raw = wrapped;  // 3, AP_WRAP
      endcase
    end
  end
  wire _unused_ok = &{1'b0, q_top[0], 1'b0};  // q_top[0] is the output sign: used by the signed range check only
endmodule
`default_nettype wire

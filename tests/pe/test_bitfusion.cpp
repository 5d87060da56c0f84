// SPDX-License-Identifier: Apache-2.0
// bitfusion core on hand-worked values: lane packing, the dot product, wrapping, the lane-0 numeric views, and the
// registry's parameters.
#include <catch2/catch.hpp>

#include "models/pe/bitfusion/bitfusion_core.h"
#include "models/pe/registry.h"

namespace {

pesim::params::Settings settings(const std::string& text) {
  pesim::params::Settings s;
  pesim::params::parse_assignments(text, "--set", s);
  return s;
}

pesim::pe::BitfusionConfig config(int a_bits, bool a_signed, int b_bits, bool b_signed, int acc_bits) {
  pesim::pe::BitfusionConfig c;
  c.a_bits = a_bits;
  c.a_signed = a_signed;
  c.b_bits = b_bits;
  c.b_signed = b_signed;
  c.acc_bits = acc_bits;
  return c;
}

}  // namespace

TEST_CASE("bitfusion 8x4: two lanes, their dot product added to c", "[bitfusion]") {
  const pesim::pe::BitfusionCore core(config(8, true, 4, true, 32));
  CHECK(core.widths().lanes == 2);
  CHECK(core.widths().a_bits == 16);
  CHECK(core.widths().b_bits == 8);
  // a = {100 (0x64), -3 (0xfd)}, b = {-7 (0x9), 5 (0x5)} (lane 1, lane 0): -3 * 5 + 100 * -7 = -715.
  CHECK(core.mac(0x64fd, 0x95, 1000) == 285);
  CHECK(core.mac(0x64fd, 0x95, 0) == 0xfffffd35);  // 2^32 - 715
  // Lane 1 alone: 0 * 5 + -128 * 7 = -896 = 0xfffffc80.
  CHECK(core.mac(0x8000, 0x75, 0) == 0xfffffc80);
}

TEST_CASE("bitfusion signedness of each operand", "[bitfusion]") {
  // Unsigned activations: {255, 255} . {-8 (0x8), 7} = -255 = 0xff01 in 16 bits.
  const pesim::pe::BitfusionCore unsigned_a(config(8, false, 4, true, 16));
  CHECK(unsigned_a.mac(0xffff, 0x87, 0) == 0xff01);
  // Unsigned weights: {-1, -1} . {8, 7} = -15 = 0xfff1.
  const pesim::pe::BitfusionCore unsigned_b(config(8, true, 4, false, 16));
  CHECK(unsigned_b.mac(0xffff, 0x87, 0) == 0xfff1);
  // 2x2, 16 lanes: every lane -2 (0b10) times -2 gives 4, signed; unsigned, 2 * 2 = 4 too: 64 either way.
  const pesim::pe::BitfusionCore signed_2x2(config(2, true, 2, true, 32));
  const pesim::pe::BitfusionCore unsigned_2x2(config(2, false, 2, false, 32));
  CHECK(signed_2x2.mac(0xaaaaaaaa, 0xaaaaaaaa, 0) == 64);
  CHECK(unsigned_2x2.mac(0xaaaaaaaa, 0xaaaaaaaa, 0) == 64);
  // Every lane -1 (0b11) times 1: -16; unsigned, 3 * 1: 48.
  CHECK(signed_2x2.mac(0xffffffff, 0x55555555, 0) == 0xfffffff0);
  CHECK(unsigned_2x2.mac(0xffffffff, 0x55555555, 0) == 48);
}

TEST_CASE("bitfusion wraps the sum at acc_bits; negation wraps too", "[bitfusion]") {
  const pesim::pe::BitfusionCore core(config(8, true, 8, true, 16));
  CHECK(core.widths().lanes == 1);
  CHECK(core.mac(0x80, 0x80, 0) == 0x4000);       // -128 * -128 = 16384
  CHECK(core.mac(0x80, 0x80, 0x4000) == 0x8000);  // 32768 wraps to -32768
  CHECK(core.mac(0x7f, 0x80, 0x8000) == 0x4080);  // -32768 - 16256 = -49024 wraps to 16512
  CHECK(core.negate_acc(0x0001) == 0xffff);
  CHECK(core.negate_acc(0x8000) == 0x8000);  // the most negative value is its own negation
  CHECK(core.zero_acc() == 0);
  CHECK(core.finish(0x1234) == 0x1234);
}

TEST_CASE("bitfusion numeric views see lane 0; quantizing fills lane 0 only", "[bitfusion]") {
  const pesim::pe::BitfusionCore core(config(4, true, 4, true, 32));  // 4 lanes
  CHECK(core.quantize_a(-3.4) == 0xd);                                // -3 = 0xd in lane 0, zeros above
  CHECK(core.quantize_b(100.0) == 0x7);                               // saturates to 7
  CHECK(core.quantize_b(-100.0) == 0x8);
  CHECK(core.mac(core.quantize_a(-3.0), core.quantize_b(5.0), 0) == 0xfffffff1);  // one product, -15
  const auto a = core.a_value(0x123d);  // lane 0 = 0xd = -3; the other lanes are ignored
  CHECK(a.negative);
  CHECK(a.sig == 3);
  const auto r = core.result_value(0xfffffffe);
  CHECK(r.negative);
  CHECK(r.sig == 2);
  CHECK(core.result_ulp(1000.0) == 1.0);
}

TEST_CASE("bitfusion lanes follow from the widths: 16 bricks per operation", "[bitfusion][registry]") {
  struct Case {
    int a_bits, b_bits, lanes;
  };
  const Case cases[] = {{2, 2, 16}, {2, 4, 8}, {2, 8, 4}, {4, 2, 8}, {4, 4, 4},
                        {4, 8, 2},  {8, 2, 4}, {8, 4, 2}, {8, 8, 1}};
  for (const Case& c : cases) {
    INFO("a_bits=" << c.a_bits << " b_bits=" << c.b_bits);
    const auto pe = pesim::pe::make_pe(
        "bitfusion", settings("a_bits=" + std::to_string(c.a_bits) + ",b_bits=" + std::to_string(c.b_bits)));
    const auto w = pe.core->widths();
    CHECK(w.lanes == c.lanes);
    CHECK(w.lanes * (c.a_bits / 2) * (c.b_bits / 2) == 16);
    CHECK(w.a_bits == c.lanes * c.a_bits);
    CHECK(w.b_bits == c.lanes * c.b_bits);
    CHECK(w.acc_bits == 32);
    CHECK(pe.rtl.top_module == "bitfusion");
    CHECK(pe.rtl.parameters.at("A_W") == c.a_bits);
    CHECK(pe.rtl.parameters.at("B_W") == c.b_bits);
  }
}

TEST_CASE("bitfusion registry: defaults, RTL binding and bad widths", "[bitfusion][registry]") {
  using Catch::Matchers::Contains;
  const auto pe = pesim::pe::make_pe("bitfusion", {});
  const std::map<std::string, int64_t> rtl{{"A_W", 8},      {"A_SIGNED", 1}, {"B_W", 4},
                                           {"B_SIGNED", 1}, {"C_W", 32},     {"STAGES", 1}};
  CHECK(pe.rtl.parameters == rtl);
  CHECK(pe.params_text() == "a_bits=8,a_signed=1,acc_bits=32,b_bits=4,b_signed=1,stages=1");
  CHECK_THROWS_WITH(pesim::pe::make_pe("bitfusion", settings("a_bits=3")), Contains("not one of 2 4 8"));
  CHECK_THROWS_WITH(pesim::pe::make_pe("bitfusion", settings("b_bits=16")), Contains("b_bits"));
  CHECK_THROWS_WITH(pesim::pe::make_pe("bitfusion", settings("acc_bits=7")), Contains("8..62"));
  CHECK(pesim::pe::BitfusionConfig{3, true, 4, true, 32}.validate() == "a_bits must be 2, 4 or 8, not 3");
}

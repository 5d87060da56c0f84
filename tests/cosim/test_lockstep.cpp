// SPDX-License-Identifier: Apache-2.0
// The lockstep harness itself: it must catch a model that disagrees with its RTL, point at the operation that
// differs, and replay it into a waveform. (One SystemC simulation per test case: ctest runs each in its own process.)
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <systemc>

#include "models/pe/registry.h"
#include "sim/cosim/cosim_run.h"

namespace {

pesim::pe::PeInstance make(const std::string& kind, const std::string& text) {
  pesim::params::Settings settings;
  pesim::params::parse_assignments(text, "test", settings);
  return pesim::pe::make_pe(kind, settings);
}

std::unique_ptr<pesim::rtl::IRtlPe> rtl_of(const pesim::pe::PeInstance& pe, bool tracing) {
  const auto* config = pesim::rtl::find_verilated(pe.rtl.top_module, pe.rtl.parameters);
  REQUIRE(config != nullptr);
  return config->make(tracing);
}

}  // namespace

TEST_CASE("lockstep catches a model that disagrees with its RTL and names the operation", "[cosim]") {
  // The model computes with a 2-bit window, the RTL with a 1-bit one: they differ only after deep cancellation.
  const auto model_pe = make("fma_fp", "norm=approx,window_bits=2");
  const auto rtl_pe = make("fma_fp", "norm=approx,window_bits=1");
  auto rtl = rtl_of(rtl_pe, false);
  pesim::cosim::Stimulus stimulus(model_pe, 5);
  const auto result = pesim::cosim::run_lockstep(model_pe, *rtl, stimulus, 1000000);
  REQUIRE(result.mismatches == 1);
  REQUIRE(result.first_mismatch);
  CHECK(result.speed_cycles == 0);  // no speed replay after a mismatch
  const auto& m = *result.first_mismatch;
  CHECK(result.cycles == m.cycle + 1);
  CHECK(m.input_cycle == m.cycle);  // latency 1
  // The recorded operation really is one where the two windows differ, and each side computed its own window.
  CHECK(m.model.acc == model_pe.core->mac(m.inputs.a, m.inputs.b, m.inputs.c));
  CHECK(m.rtl.acc == rtl_pe.core->mac(m.inputs.a, m.inputs.b, m.inputs.c));

  // The replay reaches the same cycle with the same inputs and writes a waveform around it.
  const auto vcd = std::filesystem::temp_directory_path() / "pesim_test_lockstep.vcd";
  auto traced = rtl_of(rtl_pe, true);
  pesim::cosim::Stimulus replay(model_pe, 5);
  pesim::cosim::write_mismatch_vcd(*traced, replay, m, 16, vcd.string());
  std::ifstream file(vcd);
  std::stringstream text;
  text << file.rdbuf();
  CHECK(text.str().find("$enddefinitions") != std::string::npos);
  CHECK(text.str().find("in_a") != std::string::npos);
  std::filesystem::remove(vcd);
}

TEST_CASE("vector stimulus drives each line once and drains the pipeline", "[cosim]") {
  const auto pe = make("fma_fp", "stages=3");
  const auto vectors = std::filesystem::temp_directory_path() / "pesim_test_lockstep.vec";
  std::ofstream(vectors) << "# a b c\n3f80 3f80 0\nbf7f 3f7f 3f800000  # cancellation\n\n7f80 0 0\n";
  auto rtl = rtl_of(pe, false);
  pesim::cosim::Stimulus stimulus(pe, vectors.string());
  const auto result = pesim::cosim::run_lockstep(pe, *rtl, stimulus, UINT64_MAX);
  std::filesystem::remove(vectors);
  CHECK(result.mismatches == 0);
  CHECK(result.valid_outputs == 3);
  // The speed replay repeats the 3 vectors from reset (the RTL and the model alone) and both sides agree there too.
  CHECK(result.speed_cycles >= 65536);
  CHECK(result.model_seconds > 0);
  CHECK(result.rtl_seconds > 0);
  CHECK(result.replay_checksum == 0);
}

// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>
#include <filesystem>

#include "models/pe/registry.h"
#include "pesim/version.h"
#include "tests/support/test_support.h"

namespace {

bool registered(const std::string& name) {
  for (const auto& kind : pesim::pe::pe_kinds()) {
    if (kind.name == name) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("every folder of models/pe/ is a registered PE kind", "[registry]") {
  int folders = 0;
  for (const auto& entry : std::filesystem::directory_iterator(pesim::source_path("models/pe"))) {
    if (!entry.is_directory()) continue;
    ++folders;
    INFO(entry.path());
    CHECK(registered(entry.path().filename().string()));
  }
  CHECK(folders == static_cast<int>(pesim::pe::pe_kinds().size()));
}

TEST_CASE("every PE kind builds with its defaults and reports consistent port widths", "[registry]") {
  for (const auto& kind : pesim::pe::pe_kinds()) {
    const auto pe = pesim::pe::make_pe(kind.name, {});
    CHECK(pe.kind == kind.name);
    CHECK(pe.params.size() == pesim::pe::all_param_specs(kind).size());
    CHECK(pe.core->widths().a_bits > 0);
    CHECK(pe.core->widths().acc_bits <= 64);
    CHECK(pe.rtl.parameters.at("STAGES") == 1);
    // params_text() is accepted back and gives the same configuration.
    CHECK(pesim::pe::make_pe(kind.name, pesim::test::settings(pe.params_text())).rtl.parameters == pe.rtl.parameters);
  }
}

TEST_CASE("bad PE names and parameters are errors that name the problem", "[registry]") {
  using Catch::Matchers::Contains;
  CHECK_THROWS_WITH(pesim::pe::make_pe("fma_pf", {}), Contains("did you mean 'fma_fp'"));
  CHECK_THROWS_WITH(pesim::pe::make_pe("fma_fp", pesim::test::settings("acc=fp33")), Contains("fp32"));
  CHECK_THROWS_WITH(pesim::pe::make_pe("fma_fp", pesim::test::settings("windw_bits=2")),
                    Contains("did you mean 'window_bits'"));
  CHECK_THROWS_WITH(pesim::pe::make_pe("fma_fp", pesim::test::settings("window_bits=2")), Contains("norm=approx"));
  CHECK_THROWS_WITH(pesim::pe::make_pe("mac_int", pesim::test::settings("acc_bits=63")), Contains("2..62"));
  CHECK_THROWS_WITH(pesim::pe::make_pe("mac_fixed", pesim::test::settings("acc_bits=1,overflow=AP_SAT_SYM")),
                    Contains("acc_"));
  CHECK_THROWS_WITH(pesim::pe::make_pe("mac_int", pesim::test::settings("stages=0")), Contains("1..8"));
  // a, b = ap_fixed<32,40>, c = ap_fixed<48,-8>: the exact sum would span 81 + 56 bits.
  CHECK_THROWS_WITH(
      pesim::pe::make_pe("mac_fixed", pesim::test::settings("a_bits=32,a_int_bits=40,b_bits=32,b_int_bits=40,"
                                                            "acc_bits=48,acc_int_bits=-8")),
      Contains("exact sum"));
  CHECK_NOTHROW(pesim::pe::make_pe("mac_fixed", pesim::test::settings("a_bits=32,a_int_bits=8,b_bits=32,b_int_bits=12,"
                                                                      "acc_bits=48,acc_int_bits=24,khot=0")));
}

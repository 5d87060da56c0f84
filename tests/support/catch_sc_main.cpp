// SPDX-License-Identifier: Apache-2.0
// main for Catch2 tests that run SystemC: SystemC's library owns main() and calls sc_main.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>
#include <systemc>

int sc_main(int argc, char* argv[]) { return Catch::Session().run(argc, argv); }

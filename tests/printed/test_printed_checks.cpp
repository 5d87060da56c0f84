// SPDX-License-Identifier: Apache-2.0
// The printed flow's three-way check and its costing: the generated Verilog under Verilator, the SystemC model, and
// the mapped netlist, each against the functional model.
#include <catch2/catch.hpp>
#include <filesystem>
#include <random>
#include <set>

#include "models/cost/synthesis.h"
#include "models/cost/technology.h"
#include "models/printed/printed_bank_sc.h"
#include "pesim/version.h"
#include "sim/printed/printed_cost.h"
#include "sim/printed/verilated_check.h"
#include "tests/printed/printed_test_support.h"

using namespace pesim::printed;

namespace {

std::vector<BespokeCircuit> random_circuits(std::mt19937_64& random, int count, int inputs) {
  std::vector<BespokeCircuit> circuits;
  for (int c = 0; c < count; ++c) {
    const QuantizedMlp mlp = test::random_mlp(random, inputs, 2 + c % 3, 2 + c % 5);
    circuits.emplace_back(mlp, c == 0 ? Approximation::exact(mlp) : test::random_approximation(random, mlp));
  }
  return circuits;
}

}  // namespace

TEST_CASE("printed check: Verilated RTL classifies like the functional model", "[printed][verilator]") {
  std::mt19937_64 random(21);
  const std::vector<BespokeCircuit> circuits = random_circuits(random, 16, 7);
  const std::vector<std::vector<int>> samples = test::random_samples(random, 2000, 7, 4);
  const std::string work = (std::filesystem::temp_directory_path() / "pesim_test_printed_verilator").string();
  const VerilatedRun run = run_verilated(circuits, samples, work);
  REQUIRE(run.classes.size() == circuits.size());
  int64_t mismatches = 0, distinct_classes = 0;
  for (size_t c = 0; c < circuits.size(); ++c) {
    std::set<int> seen;
    for (size_t s = 0; s < samples.size(); ++s) {
      mismatches += run.classes[c][s] != circuits[c].classify(samples[s]);
      seen.insert(run.classes[c][s]);
    }
    distinct_classes += static_cast<int64_t>(seen.size());
  }
  CHECK(mismatches == 0);
  // Not vacuous: the circuits do not all answer one class (many of these random ones do: large shifts, whole trees
  // pruned, one-bit comparators, which is what this test is for).
  CHECK(distinct_classes > static_cast<int64_t>(circuits.size()));
  CHECK_THAT(run.verilator_version, Catch::StartsWith("Verilator"));
  std::filesystem::remove_all(work);
}

TEST_CASE("printed check: a work file that cannot be written is named, before Verilator runs", "[printed]") {
  std::mt19937_64 random(23);
  const std::vector<BespokeCircuit> circuits = random_circuits(random, 1, 3);
  const std::filesystem::path work = std::filesystem::temp_directory_path() / "pesim_test_printed_unwritable";
  std::filesystem::remove_all(work);
  std::filesystem::create_directories(work / "samples.txt");  // a directory where the samples file goes
  CHECK_THROWS_WITH(run_verilated(circuits, test::random_samples(random, 4, 3, 4), work.string()),
                    Catch::StartsWith("cannot write") && Catch::Contains("samples.txt"));
  CHECK_FALSE(std::filesystem::exists(work / "obj"));  // Verilator never ran
  std::filesystem::remove_all(work);
}

TEST_CASE("printed check: the SystemC model registers inputs and outputs at the printed clock", "[printed]") {
  std::mt19937_64 random(22);
  const std::vector<BespokeCircuit> circuits = random_circuits(random, 5, 4);
  const std::vector<std::vector<int>> samples = test::random_samples(random, 300, 4, 4);
  const SystemCRun first = run_systemc_bank(circuits, samples, 5.0);
  for (size_t c = 0; c < circuits.size(); ++c)
    for (size_t s = 0; s < samples.size(); ++s) REQUIRE(first.classes[c][s] == circuits[c].classify(samples[s]));
  CHECK(first.clock_edges == samples.size() + 1);  // one edge of latency
  CHECK(first.simulated_seconds >= samples.size() / 5.0);
  // A second run in the same process reuses the elaborated bank.
  const std::vector<std::vector<int>> more = test::random_samples(random, 17, 4, 4);
  const SystemCRun second = run_systemc_bank(circuits, more, 5.0);
  for (size_t s = 0; s < more.size(); ++s) REQUIRE(second.classes[2][s] == circuits[2].classify(more[s]));
  CHECK_THROWS_WITH(run_systemc_bank(circuits, more, 10.0), Catch::Contains("elaborated at 5"));
}

TEST_CASE("printed check: a circuit synthesized on EGFET cells classifies like the functional model",
          "[printed][yosys]") {
  std::mt19937_64 random(23);
  const std::vector<std::vector<int>> samples = test::random_samples(random, 200, 5, 4);
  // A random MLP whose class depends on its inputs (many reduce to a constant, which synthesizes to no cells).
  QuantizedMlp mlp;
  for (std::set<int> classes; classes.size() < 3;) {
    mlp = test::random_mlp(random, 5, 3, 3, 1);
    classes.clear();
    for (const std::vector<int>& sample : samples) classes.insert(exact_class(mlp, sample));
  }
  const pesim::cost::Technology& egfet = pesim::cost::find_technology("egfet");
  const PrintedCircuitCost exact = cost_printed_circuit(BespokeCircuit(mlp, Approximation::exact(mlp)), egfet, samples);
  CHECK(exact.checked_samples == 200);
  CHECK(exact.netlist_mismatches == 0);
  CHECK(exact.area_cm2 > 0);
  CHECK(exact.cells > 10);
  // Leakage dominates: the state-dependent estimate stays within the cells' leakage range around the average.
  CHECK(exact.power_mw > 0.3 * exact.average_leakage_power_mw);
  CHECK(exact.power_mw < 3 * exact.average_leakage_power_mw);
  Approximation coarse = Approximation::exact(mlp);
  for (int& bits : coarse.masked_low_bits) bits = 2;
  const PrintedCircuitCost approximate = cost_printed_circuit(BespokeCircuit(mlp, coarse), egfet, samples);
  CHECK(approximate.netlist_mismatches == 0);
  CHECK(approximate.area_cm2 < exact.area_cm2);
  // Every connection pruned: a constant class, which synthesizes to no cells and area 0.
  Approximation constant = Approximation::exact(mlp);
  std::fill(constant.kept_terms.begin(), constant.kept_terms.end(), 0);
  const PrintedCircuitCost none = cost_printed_circuit(BespokeCircuit(mlp, constant), egfet, samples);
  CHECK(none.cells == 0);
  CHECK(none.area_cm2 == 0);
  CHECK(none.netlist_mismatches == 0);
  CHECK_THROWS_WITH(
      cost_printed_circuit(BespokeCircuit(mlp, coarse), pesim::cost::find_technology("ihp_sg13g2"), samples),
      Catch::Contains("not a printed technology"));
}

TEST_CASE("printed check: a Yosys log without a chip area means no cells, or an error", "[printed]") {
  const std::string lib = pesim::source_path("models/cost/tech/egfet/egfet_cells.lib");
  const pesim::cost::SynthesisResult empty =
      pesim::cost::parse_synthesis_log("Yosys 0.23\n   Number of cells:                  0\n", "top", lib);
  CHECK(empty.area_um2 == 0);
  CHECK(empty.cells == 0);
  CHECK_THROWS_WITH(pesim::cost::parse_synthesis_log("Number of cells:                 12\n", "top", lib),
                    Catch::Contains("no chip area for top"));
  CHECK_THROWS_WITH(pesim::cost::parse_synthesis_log("no statistics at all\n", "top", lib),
                    Catch::Contains("no chip area"));
}

TEST_CASE("printed check: batteries by power budget", "[printed]") {
  CHECK(batteries_for(1.0) == "Blue Spark; Molex");
  CHECK(batteries_for(10.0) == "Molex");
  CHECK(batteries_for(31.0) == "none");
}

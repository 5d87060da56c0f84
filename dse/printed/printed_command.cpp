// SPDX-License-Identifier: Apache-2.0
#include "dse/printed/printed_command.h"

#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <stdexcept>

#include "pesim/version.h"
#include "sim/cli/number_checks.h"

namespace pesim::printed {
namespace {

void add_run_options(CLI::App& run, PrintedRequest& r) {
  run.add_option("dataset", r.dataset,
                 "a bundled data set (pesim printed datasets), a folder of X_train/X_test/Y_train/Y_test .npy files, "
                 "or a CSV file (features then label, header optional)")
      ->required();
  run.add_option("--out", r.output_directory, "where the results go (default printed_<name>)");
  run.add_option("--hidden", r.training.hidden_neurons, "hidden neurons (default: the published topology, else 3)")
      ->check(CLI::Range(0, 64));
  run.add_option("--seed", r.training.seed, "training seed")->capture_default_str();
  run.add_option("--epochs", r.training.epochs, "training epochs")->capture_default_str()->check(CLI::Range(1, 100000));
  run.add_option("--input-bits", r.training.input_bits, "bits of the unsigned-fraction inputs")
      ->capture_default_str()
      ->check(CLI::Range(1, 8));
  run.add_option("--activation-bits", r.training.activation_bits, "bits of the hidden ReLU outputs")
      ->capture_default_str()
      ->check(CLI::Range(1, 16));
  run.add_option("--weight-terms", r.training.weight_terms, "power-of-two terms per weight")
      ->capture_default_str()
      ->check(CLI::Range(1, 4));
  run.add_option("--search-seed", r.search.seed, "NSGA-II seed")->capture_default_str();
  run.add_option("--evaluations", r.search.evaluations, "approximations the search evaluates")
      ->capture_default_str()
      ->check(CLI::Range(1, 10000000));
  run.add_option("--population", r.search.population, "NSGA-II population")
      ->capture_default_str()
      ->check(CLI::Range(4, 100000));
  run.add_option("--costed", r.costed_designs, "front designs to synthesize besides the exact one")
      ->capture_default_str()
      ->check(CLI::Range(0, 100000));
  run.add_option("--max-loss", r.max_accuracy_loss,
                 "front designs further below the exact training accuracy are "
                 "dropped (fraction)")
      ->capture_default_str()
      ->check(cli::finite_in_range(0.0, 1.0));
  run.add_option("--tech", r.tech, "printed technology for area and power")->capture_default_str();
  run.add_option("--clock-hz", r.clock_hz, "the printed clock of the SystemC model")
      ->capture_default_str()
      ->check(cli::positive_finite());
  run.add_option("--test-fraction", r.csv.test_fraction, "CSV data: the stratified test split's share")
      ->check(cli::finite_in_range(0.0, 1.0))
      ->capture_default_str();
  run.add_option("--split-seed", r.csv.seed, "CSV data: the split's seed")->capture_default_str();
  run.add_flag("!--no-synthesis", r.synthesize, "skip synthesis (no area, power or proxy calibration)");
  run.add_option("--synthesis-timeout", r.synthesis_timeout_seconds, "seconds per synthesis")
      ->capture_default_str()
      ->check(CLI::Range(1, 86400));
}

int list_datasets(std::ostream& out) {
  const std::filesystem::path data = pesim::source_path("workloads/printed/data");
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(data))
    if (entry.is_directory()) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  for (const std::string& name : names) out << fmt::format("{} (hidden {})\n", name, default_hidden_neurons(name));
  return 0;
}

}  // namespace

void add_printed_subcommand(CLI::App& app, PrintedCommand& command) {
  CLI::App* printed = app.add_subcommand("printed",
                                         "Bespoke approximate printed MLPs: train, approximate, verify, "
                                         "cost");
  printed->require_subcommand(1);
  command.run_command = printed->add_subcommand(
      "run",
      "The whole flow on one data set: QAT training, NSGA-II over approximations, functional = SystemC = "
      "Verilated RTL on the test split, synthesis on printed cells");
  add_run_options(*command.run_command, command.run);
  command.datasets_command = printed->add_subcommand("datasets", "List the bundled data sets");
}

namespace {

// The results directory must be creatable before the flow's minutes of training and synthesis, not after them: the
// directory (or, while it does not exist, its nearest existing ancestor) has to be a writable directory.
void check_output_directory(const std::string& requested) {
  namespace fs = std::filesystem;
  fs::path existing = fs::absolute(requested.empty() ? "." : requested);
  while (!fs::exists(existing) && existing.has_parent_path() && existing != existing.parent_path())
    existing = existing.parent_path();
  if (!fs::is_directory(existing) || access(existing.c_str(), W_OK) != 0) {
    throw std::invalid_argument(fmt::format("--out {}: cannot write the results there ({} is not a writable directory)",
                                            requested.empty() ? "." : requested, existing.string()));
  }
}

}  // namespace

int run_printed(const PrintedCommand& command, std::ostream& out, std::ostream& err) {
  try {
    if (command.datasets_command && command.datasets_command->parsed()) return list_datasets(out);
    check_output_directory(command.run.output_directory);
    const PrintedOutcome outcome = run_printed_flow(command.run, out);
    const std::string directory =
        command.run.output_directory.empty() ? "printed_" + outcome.dataset.name : command.run.output_directory;
    write_printed_results(outcome, directory);
    out << fmt::format("results in {}/summary.md\n", directory);
    const ThreeWayCheck& check = outcome.check;
    if (check.rtl_mismatches + check.systemc_mismatches + check.netlist_mismatches > 0) {
      err << "pesim printed: the models disagree: " << check.first_mismatch << "\n";
      return 1;
    }
    return 0;
  } catch (const std::exception& e) {
    err << "pesim printed: " << e.what() << "\n";
    return 2;
  }
}

}  // namespace pesim::printed

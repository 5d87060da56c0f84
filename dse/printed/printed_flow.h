// SPDX-License-Identifier: Apache-2.0
// `pesim printed run`: a tabular data set to a verified trade-off of bespoke approximate printed MLPs. Loads and
// scales the data, trains the MLP with quantization-aware training, searches its approximations (NSGA-II on the
// FA-equivalent proxy), checks every front design three ways on the test split (functional model, SystemC model,
// Verilated RTL), synthesizes the designs onto the printed cells for area, delay and power, calibrates the proxy
// against that area, and writes the results.
#pragma once
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "dse/printed/approximation_search.h"
#include "models/printed/mlp_training.h"
#include "sim/printed/printed_cost.h"
#include "workloads/printed/printed_dataset.h"

namespace pesim::printed {

struct PrintedRequest {
  std::string dataset;           // a bundled data set's name, a folder in the .npy layout, or a .csv file
  std::string output_directory;  // empty: printed_<name>
  TrainingOptions training{.hidden_neurons = 0};  // hidden_neurons 0: the published topology, or 3
  SearchOptions search;
  CsvOptions csv;
  std::string tech = "egfet";
  double clock_hz = 5;              // the printed clock of the SystemC model
  size_t costed_designs = 24;       // front designs synthesized (spread over the front), the exact design besides
  double max_accuracy_loss = 0.15;  // front designs this far below the exact training accuracy are not costed
  bool synthesize = true;
  int synthesis_timeout_seconds = 600;
};

struct PrintedDesign {
  std::string id;  // "exact" or "a<evaluation index>"
  Approximation approximation;
  double train_accuracy = 0, test_accuracy = 0;
  double equivalent_full_adders = 0;
  std::optional<PrintedCircuitCost> cost;
  bool on_test_front = false;  // non-dominated in (test accuracy, area) among the costed designs
};

struct ThreeWayCheck {
  int64_t designs = 0, samples = 0;
  int64_t rtl_mismatches = 0, systemc_mismatches = 0, netlist_mismatches = 0;
  std::string first_mismatch;  // a reproducer: design, sample, inputs and the classes, or empty
  std::string verilator_version;
  double verilator_build_seconds = 0;
};

// area_cm2 ~= cm2_at_one_fa x equivalent_full_adders ^ exponent: least squares on the logarithms (relative errors
// count alike for small and large designs) over the synthesized designs with cells.
struct ProxyCalibration {
  double cm2_at_one_fa = 0, exponent = 0;
  double r_squared_log = 0;          // of the fit on the logarithms
  double median_relative_error = 0;  // |predicted / synthesized - 1|
  double rank_correlation = 0;       // Spearman's, proxy against area: what the search relies on
  int designs = 0;
};

struct PrintedOutcome {
  Dataset dataset;
  TrainingOptions training_options;
  TrainingResult training;
  SearchOptions search_options;
  double max_accuracy_loss = 0;  // the request's
  size_t evaluated_approximations = 0;
  double majority_test_accuracy = 0;   // always answering the training split's most frequent class: the floor
  std::vector<PrintedDesign> designs;  // the exact design first, then the search's front by ascending proxy
  ThreeWayCheck check;
  std::optional<ProxyCalibration> calibration;
  std::string tech_name, tech_flow, calibration_note;
  double training_seconds = 0, search_seconds = 0, synthesis_seconds = 0;
};

// The data set a request names: a bundled name (workloads/printed/data/NAME), else a path.
Dataset load_requested_dataset(const PrintedRequest& request);
// The published hidden-layer size of a bundled data set, or 3.
int default_hidden_neurons(const std::string& dataset_name);

// Runs the flow, logging progress lines to `log`. Throws DatasetError, std::invalid_argument or std::runtime_error.
PrintedOutcome run_printed_flow(const PrintedRequest& request, std::ostream& log);

// Writes summary.md, designs.csv, designs.json, front.svg and circuits.v into the directory (created).
void write_printed_results(const PrintedOutcome& outcome, const std::string& directory);

// Counts, per circuit and sample, where the RTL's or the SystemC model's class differs from the functional model's
// ([circuit][sample] tables), with a reproducer of the first difference (`ids` name the circuits).
ThreeWayCheck compare_classes(const std::vector<BespokeCircuit>& circuits, const std::vector<std::string>& ids,
                              const std::vector<std::vector<int>>& samples,
                              const std::vector<std::vector<int>>& rtl_classes,
                              const std::vector<std::vector<int>>& systemc_classes);

// Fits the proxy calibration; nothing with fewer than two synthesized designs with cells and distinct proxies.
std::optional<ProxyCalibration> calibrate_proxy(const std::vector<PrintedDesign>& designs);

}  // namespace pesim::printed

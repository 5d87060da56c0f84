// SPDX-License-Identifier: Apache-2.0
#include "dse/printed/printed_flow.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <map>

#include "dse/search/pareto.h"
#include "models/cost/technology.h"
#include "models/printed/printed_bank_sc.h"
#include "pesim/version.h"
#include "sim/printed/verilated_check.h"

namespace pesim::printed {
namespace {

namespace fs = std::filesystem;

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// The published bespoke topologies' hidden layers (ICCAD'23); Seeds and Vertebral have none published.
const std::map<std::string, int>& published_hidden_neurons() {
  static const std::map<std::string, int> hidden{
      {"Breast_Cancer", 3}, {"Cardio", 3}, {"Pendigits", 5}, {"RedWine", 2}, {"WhiteWine", 4}};
  return hidden;
}

std::string bundled_dataset_directory(const std::string& name) {
  return pesim::source_path("workloads/printed/data/" + name);
}

// Up to `count` of the indices, spread evenly over them (the first and the last always among them).
std::vector<size_t> spread(const std::vector<size_t>& indices, size_t count) {
  if (indices.size() <= count) return indices;
  if (count < 2) return count == 0 ? std::vector<size_t>{} : std::vector<size_t>{indices.front()};
  std::vector<size_t> chosen;
  for (size_t k = 0; k < count; ++k) {
    const size_t position = (k * (indices.size() - 1) + (count - 1) / 2) / (count - 1);
    if (chosen.empty() || chosen.back() != indices[position]) chosen.push_back(indices[position]);
  }
  return chosen;
}

TrainingResult train(const PrintedRequest& request, PrintedOutcome& outcome,
                     const std::vector<std::vector<int>>& train_inputs,
                     const std::vector<std::vector<int>>& test_inputs, std::ostream& log) {
  outcome.training_options = request.training;
  if (outcome.training_options.hidden_neurons == 0)
    outcome.training_options.hidden_neurons = default_hidden_neurons(outcome.dataset.name);
  const auto start = std::chrono::steady_clock::now();
  TrainingResult result =
      train_mlp(train_inputs, outcome.dataset.train.labels, test_inputs, outcome.dataset.test.labels,
                outcome.dataset.class_count(), outcome.training_options);
  outcome.training_seconds = seconds_since(start);
  log << fmt::format("trained {} (seed {}): float test accuracy {:.4f}, quantized {:.4f} ({:.1f} s)\n",
                     result.mlp.topology(), outcome.training_options.seed, result.float_test_accuracy,
                     result.quantized_test_accuracy, outcome.training_seconds);
  return result;
}

// The exact design and the search's front within the accuracy window, with their test accuracies.
std::vector<PrintedDesign> search(const PrintedRequest& request, PrintedOutcome& outcome,
                                  const std::vector<std::vector<int>>& train_inputs,
                                  const std::vector<std::vector<int>>& test_inputs, std::ostream& log) {
  const QuantizedMlp& mlp = outcome.training.mlp;
  const auto start = std::chrono::steady_clock::now();
  const std::vector<EvaluatedApproximation> evaluated =
      search_approximations(mlp, train_inputs, outcome.dataset.train.labels, request.search);
  outcome.search_seconds = seconds_since(start);
  outcome.evaluated_approximations = evaluated.size();
  const std::vector<size_t> front = approximation_front(evaluated);
  log << fmt::format("searched {} approximations (NSGA-II, seed {}): {} on the front ({:.1f} s)\n", evaluated.size(),
                     request.search.seed, front.size(), outcome.search_seconds);

  std::vector<PrintedDesign> designs;
  const BespokeCircuit exact(mlp, Approximation::exact(mlp));
  const double exact_train_accuracy = exact.accuracy(train_inputs, outcome.dataset.train.labels);
  designs.push_back({"exact", exact.approximation(), exact_train_accuracy, 0,
                     exact.adder_count().equivalent_full_adders(), std::nullopt, false});
  for (size_t index : front) {
    const EvaluatedApproximation& e = evaluated[index];
    const bool is_exact = e.approximation == designs.front().approximation;  // the exact seed, already first
    if (is_exact || e.train_accuracy < exact_train_accuracy - request.max_accuracy_loss) continue;
    designs.push_back({fmt::format("a{}", index), e.approximation, e.train_accuracy, 0, e.equivalent_full_adders,
                       std::nullopt, false});
  }
  for (PrintedDesign& d : designs)
    d.test_accuracy = BespokeCircuit(mlp, d.approximation).accuracy(test_inputs, outcome.dataset.test.labels);
  return designs;
}

std::string sample_text(const std::vector<int>& sample) {
  std::string text;
  for (int value : sample) text += (text.empty() ? "" : " ") + std::to_string(value);
  return text;
}

// Functional model, SystemC model and Verilated RTL on every test sample of every design.
// The Verilator build stays in the temporary directory only when the check fails, for the reproducer.
ThreeWayCheck check_three_ways(const PrintedRequest& request, const PrintedOutcome& outcome,
                               const std::vector<std::vector<int>>& test_inputs, std::ostream& log) {
  std::vector<BespokeCircuit> circuits;
  std::vector<std::string> ids;
  for (const PrintedDesign& d : outcome.designs) {
    circuits.emplace_back(outcome.training.mlp, d.approximation);
    ids.push_back(d.id);
  }
  std::string safe_name = outcome.dataset.name;  // a user's file stem, kept out of the shell's quoting
  for (char& c : safe_name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') c = '_';
  const fs::path work = fs::temp_directory_path() / fmt::format("pesim_printed_{}_{}", safe_name, getpid());
  const VerilatedRun rtl = run_verilated(circuits, test_inputs, work.string());
  const SystemCRun systemc = run_systemc_bank(circuits, test_inputs, request.clock_hz);
  ThreeWayCheck check = compare_classes(circuits, ids, test_inputs, rtl.classes, systemc.classes);
  check.verilator_version = rtl.verilator_version;
  check.verilator_build_seconds = rtl.build_seconds;
  if (check.first_mismatch.empty())
    fs::remove_all(work);
  else
    check.first_mismatch += " (Verilated bank in " + work.string() + ")";
  log << fmt::format(
      "checked {} designs x {} test samples: {} RTL and {} SystemC mismatches (Verilator build {:.1f} "
      "s, SystemC {} clock edges at {} Hz)\n",
      check.designs, check.samples, check.rtl_mismatches, check.systemc_mismatches, rtl.build_seconds,
      systemc.clock_edges, request.clock_hz);
  return check;
}

void cost_designs(const PrintedRequest& request, PrintedOutcome& outcome,
                  const std::vector<std::vector<int>>& test_inputs, std::ostream& log) {
  const cost::Technology& tech = cost::find_technology(request.tech);
  outcome.tech_name = tech.name;
  outcome.tech_flow = tech.flow;
  if (tech.calibration)
    outcome.calibration_note =
        fmt::format("this flow's area is {:.2f} +- {:.2f} x {} ({})", tech.calibration->area_ratio,
                    tech.calibration->area_ratio_sd, tech.calibration->reference, tech.calibration->source);
  std::vector<size_t> approximate;
  for (size_t d = 1; d < outcome.designs.size(); ++d) approximate.push_back(d);
  std::vector<size_t> costed{0};
  for (size_t d : spread(approximate, request.costed_designs)) costed.push_back(d);
  const auto start = std::chrono::steady_clock::now();
  for (size_t d : costed) {
    PrintedDesign& design = outcome.designs[d];
    design.cost = cost_printed_circuit(BespokeCircuit(outcome.training.mlp, design.approximation), tech, test_inputs,
                                       request.synthesis_timeout_seconds);
    outcome.check.netlist_mismatches += design.cost->netlist_mismatches;
    if (!design.cost->first_mismatch.empty() && outcome.check.first_mismatch.empty())
      outcome.check.first_mismatch = fmt::format("design {} test {}", design.id, design.cost->first_mismatch);
    log << fmt::format("  {}: test accuracy {:.4f}, {:.0f} FA-eq, {:.4f} cm2, {:.3f} mW, {:.1f} ms ({:.1f} s)\n",
                       design.id, design.test_accuracy, design.equivalent_full_adders, design.cost->area_cm2,
                       design.cost->power_mw, design.cost->delay_ms, design.cost->synthesis_seconds);
  }
  outcome.synthesis_seconds = seconds_since(start);
}

// Marks the costed designs that no other costed design beats in both test accuracy and area.
void mark_test_front(std::vector<PrintedDesign>& designs) {
  std::vector<size_t> costed;
  std::vector<dse::ObjectivePoint> points;
  for (size_t d = 0; d < designs.size(); ++d)
    if (designs[d].cost) {
      costed.push_back(d);
      points.push_back({1 - designs[d].test_accuracy, designs[d].cost->area_cm2});
    }
  for (size_t k : dse::non_dominated(points)) designs[costed[k]].on_test_front = true;
}

// Ranks 1..n of the values, ties sharing their mean rank.
std::vector<double> ranks_of(const std::vector<double>& values) {
  std::vector<size_t> order(values.size());
  for (size_t k = 0; k < order.size(); ++k) order[k] = k;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return values[a] < values[b]; });
  std::vector<double> ranks(values.size());
  for (size_t first = 0; first < order.size();) {
    size_t last = first;
    while (last + 1 < order.size() && values[order[last + 1]] == values[order[first]]) ++last;
    for (size_t k = first; k <= last; ++k) ranks[order[k]] = (static_cast<double>(first + last) / 2) + 1;
    first = last + 1;
  }
  return ranks;
}

// Pearson's correlation of the ranks.
double spearman(const std::vector<double>& x, const std::vector<double>& y) {
  const std::vector<double> rx = ranks_of(x), ry = ranks_of(y);
  const double n = static_cast<double>(x.size()), mean = (n + 1) / 2;
  double sxy = 0, sxx = 0, syy = 0;
  for (size_t k = 0; k < x.size(); ++k) {
    sxy += (rx[k] - mean) * (ry[k] - mean);
    sxx += (rx[k] - mean) * (rx[k] - mean);
    syy += (ry[k] - mean) * (ry[k] - mean);
  }
  return sxx > 0 && syy > 0 ? sxy / std::sqrt(sxx * syy) : 0.0;
}

// The test accuracy of always answering the class most frequent in the training split.
double majority_class_accuracy(const Dataset& data) {
  std::vector<int64_t> counts(static_cast<size_t>(data.class_count()), 0);
  for (int label : data.train.labels) ++counts[static_cast<size_t>(label)];
  const int majority = static_cast<int>(std::max_element(counts.begin(), counts.end()) - counts.begin());
  const auto hits = std::count(data.test.labels.begin(), data.test.labels.end(), majority);
  return data.test.labels.empty() ? 0.0 : static_cast<double>(hits) / static_cast<double>(data.test.labels.size());
}

}  // namespace

ThreeWayCheck compare_classes(const std::vector<BespokeCircuit>& circuits, const std::vector<std::string>& ids,
                              const std::vector<std::vector<int>>& samples,
                              const std::vector<std::vector<int>>& rtl_classes,
                              const std::vector<std::vector<int>>& systemc_classes) {
  ThreeWayCheck check;
  check.designs = static_cast<int64_t>(circuits.size());
  check.samples = static_cast<int64_t>(samples.size());
  for (size_t c = 0; c < circuits.size(); ++c)
    for (size_t s = 0; s < samples.size(); ++s) {
      const int functional = circuits[c].classify(samples[s]);
      const bool rtl_differs = rtl_classes[c][s] != functional, systemc_differs = systemc_classes[c][s] != functional;
      check.rtl_mismatches += rtl_differs;
      check.systemc_mismatches += systemc_differs;
      if ((rtl_differs || systemc_differs) && check.first_mismatch.empty())
        check.first_mismatch =
            fmt::format("design {} test sample {} (inputs {}): functional {}, RTL {}, SystemC {}", ids[c], s,
                        sample_text(samples[s]), functional, rtl_classes[c][s], systemc_classes[c][s]);
    }
  return check;
}

int default_hidden_neurons(const std::string& dataset_name) {
  const auto it = published_hidden_neurons().find(dataset_name);
  return it == published_hidden_neurons().end() ? 3 : it->second;
}

Dataset load_requested_dataset(const PrintedRequest& request) {
  const std::string bundled = bundled_dataset_directory(request.dataset);
  if (request.dataset.find('/') == std::string::npos && fs::is_directory(bundled))
    return load_dataset(bundled, request.csv);
  return load_dataset(request.dataset, request.csv);
}

std::optional<ProxyCalibration> calibrate_proxy(const std::vector<PrintedDesign>& designs) {
  std::vector<double> log_adders, log_areas;
  for (const PrintedDesign& d : designs)
    if (d.cost && d.cost->cells > 0 && d.equivalent_full_adders > 0) {
      log_adders.push_back(std::log(d.equivalent_full_adders));
      log_areas.push_back(std::log(d.cost->area_cm2));
    }
  const double n = static_cast<double>(log_adders.size());
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (size_t k = 0; k < log_adders.size(); ++k) {
    sx += log_adders[k];
    sy += log_areas[k];
    sxx += log_adders[k] * log_adders[k];
    sxy += log_adders[k] * log_areas[k];
  }
  const double denominator = n * sxx - sx * sx;
  if (n < 2 || denominator <= 0) return std::nullopt;
  ProxyCalibration c;
  c.designs = static_cast<int>(n);
  c.exponent = (n * sxy - sx * sy) / denominator;
  const double log_scale = (sy - c.exponent * sx) / n;
  c.cm2_at_one_fa = std::exp(log_scale);
  double residual = 0, total = 0;
  std::vector<double> relative;
  for (size_t k = 0; k < log_adders.size(); ++k) {
    const double predicted = log_scale + c.exponent * log_adders[k];
    residual += (log_areas[k] - predicted) * (log_areas[k] - predicted);
    total += (log_areas[k] - sy / n) * (log_areas[k] - sy / n);
    relative.push_back(std::abs(std::exp(predicted - log_areas[k]) - 1));
  }
  c.r_squared_log = total > 0 ? 1 - residual / total : 1;
  c.rank_correlation = spearman(log_adders, log_areas);
  std::sort(relative.begin(), relative.end());
  c.median_relative_error = relative.size() % 2
                                ? relative[relative.size() / 2]
                                : (relative[relative.size() / 2 - 1] + relative[relative.size() / 2]) / 2;
  return c;
}

PrintedOutcome run_printed_flow(const PrintedRequest& request, std::ostream& log) {
  // Before any work: an unknown or non-printed technology would only fail after training and the checks.
  if (request.synthesize && cost::find_technology(request.tech).kind != cost::TechKind::kPrinted)
    throw std::invalid_argument("technology " + request.tech + " is not a printed technology (try egfet)");
  PrintedOutcome outcome;
  outcome.dataset = load_requested_dataset(request);
  outcome.search_options = request.search;
  outcome.max_accuracy_loss = request.max_accuracy_loss;
  outcome.majority_test_accuracy = majority_class_accuracy(outcome.dataset);
  const Dataset& data = outcome.dataset;
  log << fmt::format("data set {} ({}): {} training and {} test samples, {} features, {} classes\n", data.name,
                     data.origin, data.train.labels.size(), data.test.labels.size(), data.feature_count(),
                     data.class_count());
  const std::vector<std::vector<int>> train_inputs = quantize_inputs(data.train.features, request.training.input_bits);
  const std::vector<std::vector<int>> test_inputs = quantize_inputs(data.test.features, request.training.input_bits);
  outcome.training = train(request, outcome, train_inputs, test_inputs, log);
  outcome.designs = search(request, outcome, train_inputs, test_inputs, log);
  outcome.check = check_three_ways(request, outcome, test_inputs, log);
  if (request.synthesize) {
    cost_designs(request, outcome, test_inputs, log);
    mark_test_front(outcome.designs);
    outcome.calibration = calibrate_proxy(outcome.designs);
  }
  return outcome;
}

}  // namespace pesim::printed

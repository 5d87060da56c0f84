// SPDX-License-Identifier: Apache-2.0
#include "dse/report/html_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "dse/eval/metrics.h"
#include "dse/report/svg_plot.h"
#include "pesim/version.h"

namespace pesim::dse {
namespace {

using svg::escape;

constexpr const char* kStyle = R"css(
body { font-family: system-ui, sans-serif; color: #222; margin: 24px auto; max-width: 1500px; padding: 0 16px;
       line-height: 1.4; }
h1 { font-size: 22px; } h2 { font-size: 19px; margin-top: 36px; border-bottom: 1px solid #ccc; }
h3 { font-size: 15px; margin-top: 24px; }
table { border-collapse: collapse; margin: 8px 0 16px; font-size: 13px; }
th, td { border: 1px solid #d0d0d0; padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #f2f2f2; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
.figures { display: flex; flex-wrap: wrap; gap: 20px; }
figure { margin: 0; } figcaption { font-size: 12px; color: #444; max-width: 640px; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 5px; }
pre { background: #f7f7f7; padding: 8px; font-size: 12px; overflow-x: auto; }
.note { color: #555; font-size: 13px; }
)css";

// Okabe and Ito's colour-blind-safe palette, one colour per strategy in order of first appearance.
const std::vector<std::string> kPalette{"#0072B2", "#D55E00", "#009E73", "#CC79A7",
                                        "#E69F00", "#56B4E9", "#000000", "#999933"};
const std::vector<svg::Marker> kRunMarkers{svg::Marker::Circle, svg::Marker::Square, svg::Marker::Triangle,
                                           svg::Marker::Diamond, svg::Marker::Cross};
constexpr const char* kGrey = "#b8b8b8";

// Colours by strategy (the same across the page) and, within a space, a marker per run of the same strategy.
class RunStyles {
 public:
  explicit RunStyles(const ReportData& data) {
    for (const SpaceRecord& space : data.spaces) {
      std::map<std::string, size_t> runs_of_strategy;
      for (const RunRecord& run : space.runs) {
        m_colours.emplace(run.strategy, kPalette[m_colours.size() % kPalette.size()]);
        const size_t index = runs_of_strategy[run.strategy]++;
        m_markers[run.id] = kRunMarkers[index % kRunMarkers.size()];
      }
    }
  }
  const std::string& colour(const std::string& strategy) const { return m_colours.at(strategy); }
  svg::MarkStyle front_style(const RunRecord& run) const {
    return {colour(run.strategy), m_markers.at(run.id), 4.2, 0.9, true};
  }

 private:
  std::map<std::string, std::string> m_colours;
  std::map<int64_t, svg::Marker> m_markers;
};

std::optional<double> metric_value(const EvaluationRecord& e, const std::string& metric) {
  const auto found = e.metrics.find(metric);
  if (found == e.metrics.end()) return std::nullopt;
  return found->second.value;
}

// Integers in full, others to five significant digits.
std::string number(double value) {
  if (!std::isfinite(value)) return "n/a";
  if (value == std::round(value) && std::abs(value) < 1e15) return fmt::format("{:.0f}", value);
  return fmt::format("{:.5g}", value);
}

std::string percent(double fraction) {
  return std::isfinite(fraction) ? fmt::format("{:.1f}%", 100 * fraction) : "n/a";
}

std::string parameters_text(const EvaluationRecord& e) {
  std::string text;
  for (const auto& item : e.parameters.items())
    text += (text.empty() ? "" : ", ") + item.key() + "=" +
            (item.value().is_string() ? item.value().get<std::string>() : item.value().dump());
  return text;
}

std::string design_title(const EvaluationRecord& e, const std::string& prefix) {
  return prefix + e.design_hash + ": " + parameters_text(e);
}

std::string run_name(const RunRecord& run) {
  return fmt::format("run {}: {}, seed {}", run.id, run.strategy, run.seed);
}

std::string goal_word(const Objective& o) { return o.maximize ? "maximize" : "minimize"; }

std::string cell(const std::string& html, bool numeric = false) {
  return numeric ? "<td class=\"n\">" + html + "</td>" : "<td>" + html + "</td>";
}

std::string header_row(const std::vector<std::string>& names) {
  std::string row = "<tr>";
  for (const std::string& name : names) row += "<th>" + escape(name) + "</th>";
  return row + "</tr>\n";
}

std::string figure(const std::string& svg_text, const std::string& caption_html) {
  return "<figure>\n" + svg_text + "<figcaption>" + caption_html + "</figcaption>\n</figure>\n";
}

// ---- the space's introduction and its runs ----

std::string space_intro(const SpaceRecord& space) {
  std::string objectives, constraints;
  for (const Objective& o : space.objectives)
    objectives += (objectives.empty() ? "" : "; ") + goal_word(o) + " " + escape(space.labelled(o.metric));
  for (const Constraint& c : space.constraints)
    constraints += (constraints.empty() ? "" : "; ") +
                   escape(fmt::format("{} {} {}", c.metric, c.upper ? "<=" : ">=", number(c.bound)));
  return fmt::format(
      "<h2>Space {} (id {}, from {})</h2>\n<p>Objectives: {}. Constraints: {}.</p>\n"
      "<details><summary>Space specification</summary><pre>{}</pre></details>\n",
      escape(space.name), space.id, escape(space.source), objectives.empty() ? "none" : objectives,
      constraints.empty() ? "none" : constraints, escape(space.yaml));
}

std::string runs_table(const SpaceRecord& space, const RunStyles& styles) {
  std::string html = "<h3>Runs</h3>\n<table>\n" +
                     header_row({"Run", "Strategy", "Cost model", "Seed", "Status", "Evaluations", "Failed",
                                 "Infeasible", "Front size", "Final hypervolume", "pesim version"});
  for (const RunRecord& run : space.runs) {
    html += "<tr>" + cell(std::to_string(run.id), true) +
            cell(fmt::format("<span class=\"swatch\" style=\"background:{}\"></span>{}", styles.colour(run.strategy),
                             escape(run.strategy))) +
            cell(escape(run.cost_model)) + cell(std::to_string(run.seed), true) + cell(escape(run.status)) +
            cell(fmt::format("{} of {}", run.evaluations.size(), run.budget), true) +
            cell(std::to_string(run.failed), true) + cell(std::to_string(run.infeasible), true) +
            cell(std::to_string(run.front.size()), true) + cell(fmt::format("{:.4f}", run.final_hypervolume()), true) +
            cell(escape(run.pesim_version)) + "</tr>\n";
  }
  return html + "</table>\n";
}

// ---- Pareto fronts ----

// Every feasible evaluation of the space's runs with all objectives, once per design.
std::vector<const EvaluationRecord*> feasible_designs(const SpaceRecord& space) {
  std::vector<const EvaluationRecord*> designs;
  std::set<std::string> seen;
  for (const RunRecord& run : space.runs)
    for (const EvaluationRecord& e : run.evaluations)
      if (objective_point(e, space.objectives) && seen.insert(e.design_hash).second) designs.push_back(&e);
  return designs;
}

// The run's front in the projection, ordered from the best x onwards and joined as a staircase: each step holds the
// previous y until the next point's x (the boundary of the region the front dominates, for either goal).
std::vector<svg::DataPoint> staircase(std::vector<svg::DataPoint> front, bool maximize_x) {
  std::sort(front.begin(), front.end(),
            [&](const svg::DataPoint& a, const svg::DataPoint& b) { return maximize_x ? a.x > b.x : a.x < b.x; });
  std::vector<svg::DataPoint> line;
  for (const svg::DataPoint& p : front) {
    if (!line.empty()) line.push_back({p.x, line.back().y, ""});
    line.push_back(p);
  }
  return line;
}

std::string goal_phrase(const Objective& o) { return o.maximize ? "higher is better" : "lower is better"; }

std::string projection_plot(const SpaceRecord& space, size_t xi, size_t yi, const RunStyles& styles) {
  const Objective &ox = space.objectives[xi], &oy = space.objectives[yi];
  const std::vector<const EvaluationRecord*> designs = feasible_designs(space);
  std::vector<svg::DataPoint> all;
  std::vector<double> xs, ys;
  for (const EvaluationRecord* e : designs) {
    all.push_back({*metric_value(*e, ox.metric), *metric_value(*e, oy.metric), design_title(*e, "")});
    xs.push_back(all.back().x);
    ys.push_back(all.back().y);
  }
  svg::Plot plot(svg::fit_axis(space.labelled(ox.metric), xs), svg::fit_axis(space.labelled(oy.metric), ys));
  plot.add_points(all, {kGrey, svg::Marker::Circle, 2.6, 0.75, false});
  plot.add_legend_entry({"feasible designs", {kGrey, svg::Marker::Circle, 3.5, 1, false}, false});
  for (const RunRecord& run : space.runs) {
    std::vector<svg::DataPoint> front;
    for (size_t i : run.front) {
      const EvaluationRecord& e = run.evaluations[i];
      front.push_back(
          {*metric_value(e, ox.metric), *metric_value(e, oy.metric), design_title(e, fmt::format("run {}, ", run.id))});
    }
    const svg::MarkStyle style = styles.front_style(run);
    if (space.objectives.size() == 2) plot.add_line(staircase(front, ox.maximize), style.colour, 1.2);
    plot.add_points(front, style);
    plot.add_legend_entry({run_name(run), style, false});
  }
  const std::string caption = fmt::format(
      "{} against {}: the {} feasible designs of these runs (grey) and each run's Pareto front{} (marked; "
      "hover for the design). x: {}; y: {}.",
      escape(oy.metric), escape(ox.metric), designs.size(),
      space.objectives.size() > 2 ? " over all " + std::to_string(space.objectives.size()) + " objectives" : "",
      goal_phrase(ox), goal_phrase(oy));
  return figure(plot.render(fmt::format("Pareto fronts: {} against {}", oy.metric, ox.metric)), caption);
}

std::string pareto_section(const SpaceRecord& space, const RunStyles& styles) {
  std::string html = "<h3>Pareto fronts</h3>\n";
  if (space.objectives.size() < 2) return html + "<p class=\"note\">One objective: no 2-D projection.</p>\n";
  if (feasible_designs(space).empty()) return html + "<p class=\"note\">No feasible design was evaluated.</p>\n";
  html += "<div class=\"figures\">\n";
  for (size_t i = 0; i < space.objectives.size(); ++i)
    for (size_t j = i + 1; j < space.objectives.size(); ++j) html += projection_plot(space, i, j, styles);
  return html + "</div>\n";
}

// ---- hypervolume ----

// The curve as steps: the hypervolume holds until the evaluation that raises it.
std::vector<svg::DataPoint> step_line(const std::vector<HypervolumePoint>& curve) {
  std::vector<svg::DataPoint> line;
  for (const HypervolumePoint& p : curve) {
    const double x = static_cast<double>(p.evaluations);
    if (line.empty()) {
      line.push_back({x, p.hypervolume, ""});
    } else if (p.hypervolume != line.back().y) {
      line.push_back({x, line.back().y, ""});
      line.push_back({x, p.hypervolume, ""});
    }
  }
  if (!curve.empty() && line.back().x != static_cast<double>(curve.back().evaluations))
    line.push_back({static_cast<double>(curve.back().evaluations), curve.back().hypervolume, ""});
  return line;
}

double best_final_hypervolume(const SpaceRecord& space) {
  double best = 0;
  for (const RunRecord& run : space.runs) best = std::max(best, run.final_hypervolume());
  return best;
}

std::string scale_text(const SpaceRecord& space) {
  std::string text;
  for (size_t i = 0; i < space.scale.objectives(); ++i) {
    const Objective& o = space.objectives[i];
    const double sign = o.maximize ? -1 : 1;
    text += fmt::format("{}{} from {} (0) to {} (1)", text.empty() ? "" : "; ", o.metric,
                        number(sign * space.scale.best[i]), number(sign * space.scale.worst[i]));
    if (!space.unit(o.metric).empty()) text += " " + space.unit(o.metric);
  }
  return escape(text);
}

std::string hypervolume_plot(const SpaceRecord& space, const RunStyles& styles) {
  int64_t most_evaluations = 1;
  for (const RunRecord& run : space.runs)
    most_evaluations = std::max<int64_t>(most_evaluations, static_cast<int64_t>(run.evaluations.size()));
  const double top = best_final_hypervolume(space) > 0 ? std::min(1.0, best_final_hypervolume(space) * 1.08) : 1.0;
  svg::Plot plot({"evaluations", 0, static_cast<double>(most_evaluations), false},
                 {"hypervolume (fraction of the box)", 0, top, false});
  std::set<std::string> in_legend;
  for (const RunRecord& run : space.runs) {
    plot.add_line(step_line(run.hypervolume), styles.colour(run.strategy), 1.6);
    if (in_legend.insert(run.strategy).second)
      plot.add_legend_entry({run.strategy, {styles.colour(run.strategy)}, true});
  }
  const std::string caption = fmt::format(
      "Hypervolume of the feasible designs found after each evaluation, one line per run, coloured by strategy. "
      "Every run of this space in the file shares one scale, the best known Pareto front (the non-dominated feasible "
      "designs of all its runs): each objective maps that front's ideal to 0 and its nadir to 1 ({}); the reference "
      "point is {} in every objective, and the hypervolume is a "
      "fraction of the box from 0 to it.",
      scale_text(space), 1 + ObjectiveScale::kReferenceMargin);
  return figure(plot.render("Hypervolume against evaluations"), caption);
}

std::string evaluations_to(const RunRecord& run, double target) {
  if (!(target > 0)) return "n/a";
  const std::optional<int64_t> n = evaluations_to_reach(run.hypervolume, target * (1 - 1e-12));
  return n ? std::to_string(*n) : "never";
}

std::string hypervolume_table(const SpaceRecord& space) {
  const double best = best_final_hypervolume(space);
  std::string html = "<table>\n" + header_row({"Run", "Strategy", "Seed", "Evaluations", "Final hypervolume",
                                               "Of the best run's", "Evaluations to 50%", "to 90%", "to 99%"});
  for (const RunRecord& run : space.runs) {
    html += "<tr>" + cell(std::to_string(run.id), true) + cell(escape(run.strategy)) +
            cell(std::to_string(run.seed), true) + cell(std::to_string(run.evaluations.size()), true) +
            cell(fmt::format("{:.4f}", run.final_hypervolume()), true) +
            cell(best > 0 ? percent(run.final_hypervolume() / best) : "n/a", true) +
            cell(evaluations_to(run, 0.5 * best), true) + cell(evaluations_to(run, 0.9 * best), true) +
            cell(evaluations_to(run, 0.99 * best), true) + "</tr>\n";
  }
  return html +
         "</table>\n<p class=\"note\">Percentages are of the best final hypervolume among these runs; the "
         "evaluation counts are those after which a run first reaches that share of it.</p>\n";
}

std::string hypervolume_section(const SpaceRecord& space, const RunStyles& styles) {
  std::string html = "<h3>Hypervolume</h3>\n";
  if (space.scale.empty()) return html + "<p class=\"note\">No feasible design was evaluated.</p>\n";
  return html + "<div class=\"figures\">\n" + hypervolume_plot(space, styles) + "</div>\n" + hypervolume_table(space);
}

// ---- cost models ----

std::string model_plot(const SpaceRecord& space, const RunRecord& run, const ModelRecord& model) {
  const std::string unit = space.unit(model.objective);
  std::vector<double> values;
  std::vector<svg::DataPoint> points;
  for (const ModelRecord::Prediction& p : model.predictions) {
    values.insert(values.end(), {p.actual, p.predicted});
    points.push_back(
        {p.actual, p.predicted,
         fmt::format("{}: simulated {}, predicted {}", p.design_hash, number(p.actual), number(p.predicted))});
  }
  const svg::Axis scale = svg::fit_axis("", values);
  svg::Axis x = scale, y = scale;
  x.label = "simulated " + space.labelled(model.objective);
  y.label = "predicted " + space.labelled(model.objective);
  svg::Plot plot(x, y);
  plot.add_line({{scale.low, scale.low, ""}, {scale.high, scale.high, ""}}, "#888888", 1, "5,4");
  plot.add_points(points, {"#0072B2", svg::Marker::Circle, 3, 0.7, false});
  const std::string caption = fmt::format(
      "Run {} ({}, seed {}): {} predicting {}, {}, {} training and {} test designs; {} predictions shown against "
      "the simulated values (dashed: y = x). RMSE {}{} ({} of the mean), MAPE {}, Spearman {:.3f}.",
      run.id, escape(run.strategy), run.seed, escape(model.regressor), escape(model.objective),
      escape(model.validation), model.training_designs, model.test_designs, model.predictions.size(),
      number(model.rmse), unit.empty() ? "" : " " + escape(unit), percent(model.rmse_relative), percent(model.mape),
      model.spearman);
  return figure(plot.render(fmt::format("Cost model {}: predicted against simulated {}", model.id, model.objective)),
                caption);
}

std::string models_section(const SpaceRecord& space) {
  std::string figures;
  for (const RunRecord& run : space.runs)
    for (const ModelRecord& model : run.models) figures += model_plot(space, run, model);
  if (figures.empty()) return "";
  return "<h3>Cost models</h3>\n<div class=\"figures\">\n" + figures + "</div>\n";
}

// ---- the front's designs ----

// The designs no feasible design of these runs dominates, ordered by the objectives, with the runs that found each.
struct FrontDesign {
  const EvaluationRecord* evaluation;
  ObjectivePoint point;
  std::vector<int64_t> runs;
};

std::vector<FrontDesign> space_front(const SpaceRecord& space) {
  std::vector<FrontDesign> designs;
  std::map<std::string, size_t> index_of;
  for (const RunRecord& run : space.runs) {
    for (const EvaluationRecord& e : run.evaluations) {
      const std::optional<ObjectivePoint> point = objective_point(e, space.objectives);
      if (!point) continue;
      const auto [found, added] = index_of.emplace(e.design_hash, designs.size());
      if (added) designs.push_back({&e, *point, {}});
      designs[found->second].runs.push_back(run.id);
    }
  }
  std::vector<ObjectivePoint> points;
  for (const FrontDesign& d : designs) points.push_back(d.point);
  std::vector<FrontDesign> front;
  for (size_t i : non_dominated(points)) front.push_back(designs[i]);
  std::sort(front.begin(), front.end(), [](const FrontDesign& a, const FrontDesign& b) { return a.point < b.point; });
  return front;
}

// The objectives, then the catalog's other metrics the front's designs have.
std::vector<std::string> front_metrics(const SpaceRecord& space, const std::vector<FrontDesign>& front) {
  std::vector<std::string> names;
  for (const Objective& o : space.objectives) names.push_back(o.metric);
  for (const MetricInfo& metric : metric_catalog()) {
    if (std::find(names.begin(), names.end(), metric.name) != names.end()) continue;
    const bool present = std::any_of(front.begin(), front.end(),
                                     [&](const FrontDesign& d) { return metric_value(*d.evaluation, metric.name); });
    if (present) names.push_back(metric.name);
  }
  return names;
}

std::vector<std::string> front_parameters(const std::vector<FrontDesign>& front) {
  std::vector<std::string> names;
  for (const FrontDesign& d : front)
    for (const auto& item : d.evaluation->parameters.items())
      if (std::find(names.begin(), names.end(), item.key()) == names.end()) names.push_back(item.key());
  return names;
}

std::string front_row(const FrontDesign& d, const std::vector<std::string>& parameters,
                      const std::vector<std::string>& metrics) {
  std::string runs;
  for (int64_t run : d.runs) runs += (runs.empty() ? "" : ", ") + std::to_string(run);
  std::string row = "<tr>" + cell("<code>" + escape(d.evaluation->design_hash) + "</code>") + cell(runs);
  for (const std::string& name : parameters) {
    const auto& p = d.evaluation->parameters;
    row += cell(!p.contains(name) ? "" : escape(p[name].is_string() ? p[name].get<std::string>() : p[name].dump()));
  }
  for (const std::string& name : metrics) {
    const std::optional<double> value = metric_value(*d.evaluation, name);
    row += cell(value ? number(*value) : "", true);
  }
  return row + "</tr>\n";
}

std::string front_section(const SpaceRecord& space) {
  const std::vector<FrontDesign> front = space_front(space);
  std::string html = fmt::format("<h3>Pareto-optimal designs ({})</h3>\n", front.size());
  if (front.empty()) return html + "<p class=\"note\">No feasible design was evaluated.</p>\n";
  const std::vector<std::string> parameters = front_parameters(front), metrics = front_metrics(space, front);
  std::vector<std::string> header{"Design", "Runs"};
  header.insert(header.end(), parameters.begin(), parameters.end());
  for (const std::string& m : metrics) header.push_back(space.labelled(m));
  html +=
      "<p class=\"note\">The designs no feasible design of these runs dominates, over all objectives; Runs: "
      "those that evaluated the design.</p>\n<table>\n" +
      header_row(header);
  for (const FrontDesign& d : front) html += front_row(d, parameters, metrics);
  return html + "</table>\n";
}

std::string space_section(const SpaceRecord& space, const RunStyles& styles) {
  return "<section>\n" + space_intro(space) + runs_table(space, styles) + pareto_section(space, styles) +
         hypervolume_section(space, styles) + models_section(space) + front_section(space) + "</section>\n";
}

}  // namespace

void write_html(const ReportData& data, std::ostream& out) {
  const RunStyles styles(data);
  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>pesim DSE report: "
      << escape(data.database) << "</title>\n<style>" << kStyle << "</style>\n</head>\n<body>\n";
  out << "<h1>pesim DSE report</h1>\n"
      << fmt::format("<p>{}: {} run{} of {} space{}. Written by pesim {} ({}).</p>\n", escape(data.database),
                     data.run_count(), data.run_count() == 1 ? "" : "s", data.spaces.size(),
                     data.spaces.size() == 1 ? "" : "s", escape(kVersion), escape(kGitDescribe));
  for (const SpaceRecord& space : data.spaces) out << space_section(space, styles);
  out << "</body>\n</html>\n";
}

}  // namespace pesim::dse

// SPDX-License-Identifier: Apache-2.0
#include "dse/report/svg_plot.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <utility>

namespace pesim::dse::svg {
namespace {

// Room around the plot area, px: tick labels and the y label on the left, the x label below.
constexpr double kLeftPx = 72, kTopPx = 12, kRightPx = 16, kBottomPx = 46;
constexpr double kLegendRowPx = 17;

double log10_of(double value) { return std::log10(value); }

// 1, 2 or 5 times a power of ten: the step giving about five ticks over the span.
double linear_step(const Axis& axis) {
  const double span = axis.high - axis.low;
  if (!(span > 0)) return 1;
  const double raw = span / 5;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  for (double multiple : {1.0, 2.0, 5.0})
    if (multiple * magnitude >= raw) return multiple * magnitude;
  return 10 * magnitude;
}

// "2.5e+06" -> "2.5e6", "1e-05" -> "1e-5".
std::string tidy_exponent(std::string text) {
  const size_t e = text.find('e');
  if (e == std::string::npos) return text;
  std::string mantissa = text.substr(0, e), exponent = text.substr(e + 1);
  const bool negative = !exponent.empty() && exponent[0] == '-';
  if (!exponent.empty() && (exponent[0] == '+' || exponent[0] == '-')) exponent.erase(0, 1);
  exponent.erase(0, std::min(exponent.find_first_not_of('0'), exponent.size() - 1));
  return mantissa + "e" + (negative ? "-" : "") + exponent;
}

bool wants_scientific(double value) { return value != 0 && (std::abs(value) >= 1e5 || std::abs(value) < 1e-3); }

std::vector<double> linear_ticks(const Axis& axis) {
  const double step = linear_step(axis);
  std::vector<double> ticks;
  const double first = std::ceil(axis.low / step - 1e-9);
  for (double k = first; k * step <= axis.high + 1e-9 * step && ticks.size() < 50; k += 1)
    ticks.push_back(k == 0 ? 0.0 : k * step);
  return ticks;
}

std::vector<double> log_ticks(const Axis& axis) {
  const int first_decade = static_cast<int>(std::floor(log10_of(axis.low)));
  const int last_decade = static_cast<int>(std::ceil(log10_of(axis.high)));
  const int decades_inside = last_decade - first_decade - 1;
  const std::vector<double> multiples = decades_inside < 3 ? std::vector<double>{1, 2, 5} : std::vector<double>{1};
  const int decade_step = std::max(1, decades_inside / 6);  // about six labelled decades at most
  std::vector<double> ticks;
  for (int decade = first_decade; decade <= last_decade; ++decade) {
    if (decade % decade_step != 0) continue;
    for (double multiple : multiples) {
      const double value = multiple * std::pow(10.0, decade);
      if (value >= axis.low * (1 - 1e-9) && value <= axis.high * (1 + 1e-9)) ticks.push_back(value);
    }
  }
  return ticks;
}

std::string px(double value) { return fmt::format("{:.1f}", value); }

// The element drawing a marker centred at (x, y) px: its tag and its geometry attributes.
std::pair<std::string, std::string> marker_shape(double x, double y, const MarkStyle& style) {
  const double s = style.size_px;
  switch (style.marker) {
    case Marker::Square:
      return {"rect", fmt::format("x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"", px(x - s * 0.9), px(y - s * 0.9),
                                  px(s * 1.8), px(s * 1.8))};
    case Marker::Triangle:
      return {"path", fmt::format("d=\"M{},{}L{},{}L{},{}Z\"", px(x), px(y - s * 1.15), px(x + s), px(y + s * 0.75),
                                  px(x - s), px(y + s * 0.75))};
    case Marker::Diamond:
      return {"path", fmt::format("d=\"M{},{}L{},{}L{},{}L{},{}Z\"", px(x), px(y - s * 1.2), px(x + s), px(y), px(x),
                                  px(y + s * 1.2), px(x - s), px(y))};
    case Marker::Cross:
      return {"path", fmt::format("d=\"M{},{}L{},{}M{},{}L{},{}\"", px(x - s), px(y - s), px(x + s), px(y + s),
                                  px(x - s), px(y + s), px(x + s), px(y - s))};
    case Marker::Circle:
      break;
  }
  return {"circle", fmt::format("cx=\"{}\" cy=\"{}\" r=\"{}\"", px(x), px(y), px(s))};
}

// One marker centred at (x, y) px, with its hover title.
std::string marker(double x, double y, const MarkStyle& style, const std::string& title) {
  const auto [tag, geometry] = marker_shape(x, y, style);
  if (title.empty()) return "<" + tag + " " + geometry + "/>";
  return "<" + tag + " " + geometry + "><title>" + escape(title) + "</title></" + tag + ">";
}

// The group attributes every marker of a style shares: crosses are strokes, the others fills.
std::string group_attributes(const MarkStyle& style) {
  if (style.marker == Marker::Cross)
    return fmt::format("fill=\"none\" stroke=\"{}\" stroke-width=\"1.6\" stroke-opacity=\"{}\"", style.colour,
                       style.opacity);
  std::string attributes = fmt::format("fill=\"{}\" fill-opacity=\"{}\"", style.colour, style.opacity);
  if (style.outline) attributes += " stroke=\"#222222\" stroke-width=\"0.7\"";
  return attributes;
}

}  // namespace

std::string escape(const std::string& text) {
  std::string result;
  result.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        result += "&amp;";
        break;
      case '<':
        result += "&lt;";
        break;
      case '>':
        result += "&gt;";
        break;
      case '"':
        result += "&quot;";
        break;
      case '\'':
        result += "&#39;";
        break;
      default:
        result += c;
    }
  }
  return result;
}

Axis fit_axis(const std::string& label, const std::vector<double>& values, bool allow_log) {
  std::vector<double> finite;
  std::copy_if(values.begin(), values.end(), std::back_inserter(finite), [](double v) { return std::isfinite(v); });
  if (finite.empty()) return {label, 0, 1, false};
  const auto [low_it, high_it] = std::minmax_element(finite.begin(), finite.end());
  const double low = *low_it, high = *high_it;
  if (allow_log && low > 0 && high > 10 * low) {
    const double pad = 0.05 * (log10_of(high) - log10_of(low));
    return {label, std::pow(10.0, log10_of(low) - pad), std::pow(10.0, log10_of(high) + pad), true};
  }
  if (high == low) {
    const double pad = low == 0 ? 1.0 : 0.1 * std::abs(low);
    return {label, low - pad, high + pad, false};
  }
  const double pad = 0.05 * (high - low);
  return {label, low - pad, high + pad, false};
}

std::vector<double> axis_ticks(const Axis& axis) { return axis.log ? log_ticks(axis) : linear_ticks(axis); }

std::string tick_label(double value, const Axis& axis) {
  if (value == 0) return "0";
  if (axis.log) return wants_scientific(value) ? tidy_exponent(fmt::format("{:.0e}", value)) : fmt::format("{}", value);
  const double step = linear_step(axis);
  if (wants_scientific(value)) {
    // As many significant digits as the step needs to tell neighbours apart.
    const int digits =
        std::max(0, static_cast<int>(std::floor(std::log10(std::abs(value))) - std::floor(std::log10(step))));
    return tidy_exponent(fmt::format("{:.{}e}", value, std::min(digits, 12)));
  }
  const int decimals = std::max(0, -static_cast<int>(std::floor(std::log10(step) + 1e-9)));
  return fmt::format("{:.{}f}", value, std::min(decimals, 12));
}

Plot::Plot(Axis x, Axis y) : m_x(std::move(x)), m_y(std::move(y)) {}

double Plot::to_px_x(double x) const {
  const double t = m_x.log
                       ? (log10_of(std::max(x, m_x.low)) - log10_of(m_x.low)) / (log10_of(m_x.high) - log10_of(m_x.low))
                       : (x - m_x.low) / (m_x.high - m_x.low);
  return kLeftPx + t * kPlotWidthPx;
}

double Plot::to_px_y(double y) const {
  const double t = m_y.log
                       ? (log10_of(std::max(y, m_y.low)) - log10_of(m_y.low)) / (log10_of(m_y.high) - log10_of(m_y.low))
                       : (y - m_y.low) / (m_y.high - m_y.low);
  return kTopPx + (1 - t) * kPlotHeightPx;
}

void Plot::add_points(const std::vector<DataPoint>& points, const MarkStyle& style) {
  if (points.empty()) return;
  m_marks += "<g " + group_attributes(style) + ">";
  for (const DataPoint& p : points) m_marks += marker(to_px_x(p.x), to_px_y(p.y), style, p.title);
  m_marks += "</g>\n";
}

void Plot::add_line(const std::vector<DataPoint>& points, const std::string& colour, double width_px,
                    const std::string& dash) {
  if (points.size() < 2) return;
  std::string coordinates;
  for (const DataPoint& p : points)
    coordinates += (coordinates.empty() ? "" : " ") + px(to_px_x(p.x)) + "," + px(to_px_y(p.y));
  m_marks += fmt::format("<polyline fill=\"none\" stroke=\"{}\" stroke-width=\"{}\"{} points=\"{}\"/>\n", colour,
                         width_px, dash.empty() ? "" : " stroke-dasharray=\"" + dash + "\"", coordinates);
}

std::string Plot::axes() const {
  const double left = kLeftPx, right = kLeftPx + kPlotWidthPx, top = kTopPx, bottom = kTopPx + kPlotHeightPx;
  std::string grid = "<g stroke=\"#e4e4e4\" stroke-width=\"1\">", labels = "<g fill=\"#333333\">";
  for (double tick : axis_ticks(m_x)) {
    const double x = to_px_x(tick);
    grid += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\"/>", px(x), px(top), px(bottom + 4));
    labels += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>", px(x), px(bottom + 16),
                          escape(tick_label(tick, m_x)));
  }
  for (double tick : axis_ticks(m_y)) {
    const double y = to_px_y(tick);
    grid += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\"/>", px(left - 4), px(y), px(right));
    labels += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>", px(left - 7), px(y + 4),
                          escape(tick_label(tick, m_y)));
  }
  const std::string frame =
      fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"#555555\"/>", px(left),
                  px(top), px(kPlotWidthPx), px(kPlotHeightPx));
  const std::string x_label =
      fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"12\">{}{}</text>", px((left + right) / 2),
                  px(bottom + 36), escape(m_x.label), m_x.log ? " (log)" : "");
  const std::string y_label = fmt::format(
      "<text transform=\"translate(14,{}) rotate(-90)\" text-anchor=\"middle\" font-size=\"12\">{}{}</text>",
      px((top + bottom) / 2), escape(m_y.label), m_y.log ? " (log)" : "");
  return grid + "</g>\n" + labels + "</g>\n" + frame + "\n" + x_label + "\n" + y_label + "\n";
}

std::string Plot::legend() const {
  if (m_legend.empty()) return "";
  const double x = kLeftPx + kPlotWidthPx + kRightPx;
  std::string text = "<g>";
  for (size_t i = 0; i < m_legend.size(); ++i) {
    const LegendEntry& entry = m_legend[i];
    const double y = kTopPx + 8 + kLegendRowPx * static_cast<double>(i);
    if (entry.line) {
      text += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" stroke=\"{3}\" stroke-width=\"2\"/>",
                          px(x), px(y), px(x + 18), entry.style.colour);
    } else {
      text += "<g " + group_attributes(entry.style) + ">" + marker(x + 9, y, entry.style, "") + "</g>";
    }
    text += fmt::format("<text x=\"{}\" y=\"{}\">{}</text>", px(x + 24), px(y + 4), escape(entry.label));
  }
  return text + "</g>\n";
}

std::string Plot::render(const std::string& description) const {
  const double width = kLeftPx + kPlotWidthPx + kRightPx + (m_legend.empty() ? 0 : kLegendWidthPx);
  const double legend_height = kTopPx + 8 + kLegendRowPx * static_cast<double>(m_legend.size());
  const double height = std::max(kTopPx + kPlotHeightPx + kBottomPx, legend_height);
  return fmt::format(
             "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" "
             "role=\"img\" font-family=\"system-ui, sans-serif\" font-size=\"11\">\n<title>{2}</title>\n",
             px(width), px(height), escape(description)) +
         axes() + m_marks + legend() + "</svg>\n";
}

}  // namespace pesim::dse::svg

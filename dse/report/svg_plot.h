// SPDX-License-Identifier: Apache-2.0
// Scatter and line plots as inline SVG, for pesim's self-contained HTML reports: axes with ticks and labels (linear
// or logarithmic), markers with hover titles, polylines, a legend to the right. No scripts, no external files.
#pragma once
#include <string>
#include <vector>

namespace pesim::dse::svg {

// Text for HTML and SVG: & < > " ' as entities.
std::string escape(const std::string& text);

struct Axis {
  std::string label;
  double low = 0, high = 1;  // the data range shown
  bool log = false;          // log10 scale; needs low > 0
};

// An axis showing every value: logarithmic when all are positive and span more than a decade (and `allow_log`),
// else linear; padded by 5% of the span (of its log for a log axis) so that markers at the extremes stay inside. A
// single value or no value gets a range around it.
Axis fit_axis(const std::string& label, const std::vector<double>& values, bool allow_log = true);
// Tick positions within the axis: multiples of 1, 2 or 5 times a power of ten (about five of them) on a linear
// axis; powers of ten on a log axis, with their 2x and 5x multiples when it spans fewer than three decades.
std::vector<double> axis_ticks(const Axis& axis);
// A tick's text: short ("0.25", "1500", "2e6"), with enough digits to tell neighbouring ticks apart.
std::string tick_label(double value, const Axis& axis);

enum class Marker { Circle, Square, Triangle, Diamond, Cross };

struct MarkStyle {
  std::string colour = "#000000";
  Marker marker = Marker::Circle;
  double size_px = 3.5;  // half the marker's width
  double opacity = 1.0;
  bool outline = false;  // a thin dark edge, so that highlighted markers stand out over grey ones
};

struct DataPoint {
  double x = 0, y = 0;
  std::string title;  // shown on hover; plain text
};

struct LegendEntry {
  std::string label;
  MarkStyle style;
  bool line = false;  // a line sample instead of a marker
};

class Plot {
 public:
  static constexpr double kPlotWidthPx = 380, kPlotHeightPx = 270;
  static constexpr double kLegendWidthPx = 180;

  Plot(Axis x, Axis y);

  void add_points(const std::vector<DataPoint>& points, const MarkStyle& style);
  // A polyline through the points in data coordinates; `dash` is an SVG stroke-dasharray ("" for solid).
  void add_line(const std::vector<DataPoint>& points, const std::string& colour, double width_px,
                const std::string& dash = "");
  void add_legend_entry(LegendEntry entry) { m_legend.push_back(std::move(entry)); }

  // The <svg> element; `description` becomes its accessible title.
  std::string render(const std::string& description) const;

 private:
  double to_px_x(double x) const;
  double to_px_y(double y) const;
  std::string axes() const;
  std::string legend() const;

  Axis m_x, m_y;
  std::string m_marks;  // the plotted elements, in drawing order
  std::vector<LegendEntry> m_legend;
};

}  // namespace pesim::dse::svg

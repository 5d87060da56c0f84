// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <ostream>

#include "dse/report/report_data.h"

namespace pesim::dse {

// One self-contained HTML page (inline CSS and SVG, no scripts, no external files), per space: its runs; the Pareto
// fronts in every 2-D projection of the objectives over all feasible designs; hypervolume against evaluations per
// run on the space's common scale, with each run's fraction of the best final hypervolume; each stored cost model's
// predictions against the simulated values; and the designs of the front over all its runs.
void write_html(const ReportData& data, std::ostream& out);

}  // namespace pesim::dse

// SPDX-License-Identifier: Apache-2.0
#include "sim/cosim/cosim_command.h"

#include <fmt/format.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "models/pe/registry.h"
#include "pesim/version.h"
#include "sim/cosim/cosim_run.h"

namespace pesim::cosim {

namespace {

constexpr uint64_t kVcdWindowCycles = 64;

std::string hex(uint64_t v) { return fmt::format("{:x}", v); }

std::string describe_outputs(const rtl::PeOutputs& o) {
  return fmt::format("valid={} acc={} result={}", o.valid ? 1 : 0, hex(o.acc), hex(o.result));
}

// Writes the reproducer: a vector file holding the one operation whose result differed.
std::string write_reproducer(const CosimRequest& request, const pe::PeInstance& pe, const Mismatch& m) {
  const std::string path =
      fmt::format("{}/cosim_{}_seed{}_cycle{}.vec", request.repro_dir, pe.kind, request.seed, m.input_cycle);
  std::ofstream file(path);
  file << "# pesim " << kVersion << " cosim mismatch: " << pe.kind << " " << pe.params_text() << "\n"
       << "# model " << describe_outputs(m.model) << "; rtl " << describe_outputs(m.rtl) << "\n"
       << "# a b c\n"
       << hex(m.inputs.a) << " " << hex(m.inputs.b) << " " << hex(m.inputs.c) << "\n";
  return file ? path : std::string{};
}

double per_second(uint64_t cycles, double seconds) { return seconds > 0 ? static_cast<double>(cycles) / seconds : 0; }

void print_result(const CosimRequest& request, const pe::PeInstance& pe, const CosimResult& r, std::ostream& out) {
  const double model_cps = per_second(r.speed_cycles, r.model_seconds);
  const double rtl_cps = per_second(r.speed_cycles, r.rtl_seconds);
  const double lockstep_cps = per_second(r.cycles, r.wall_seconds);
  if (request.format == "json") {
    nlohmann::json j{{"pe", pe.kind},
                     {"params", pe.params},
                     {"rtl_top", pe.rtl.top_module},
                     {"seed", request.seed},
                     {"stimulus", request.vectors.empty() ? "random" : request.vectors},
                     {"cycles", r.cycles},
                     {"valid_outputs", r.valid_outputs},
                     {"mismatches", r.mismatches},
                     {"model_cycles_per_s", model_cps},
                     {"rtl_cycles_per_s", rtl_cps},
                     {"lockstep_cycles_per_s", lockstep_cps},
                     {"speed_replay_cycles", r.speed_cycles},
                     {"pesim_version", kGitDescribe}};
    if (r.first_mismatch) {
      const Mismatch& m = *r.first_mismatch;
      j["first_mismatch"] = {{"cycle", m.cycle},
                             {"input_cycle", m.input_cycle},
                             {"a", hex(m.inputs.a)},
                             {"b", hex(m.inputs.b)},
                             {"c", hex(m.inputs.c)},
                             {"model_acc", hex(m.model.acc)},
                             {"rtl_acc", hex(m.rtl.acc)},
                             {"model_result", hex(m.model.result)},
                             {"rtl_result", hex(m.rtl.result)}};
    }
    out << j.dump() << "\n";
    return;
  }
  out << fmt::format("pe          {} {}\n", pe.kind, pe.params_text());
  out << fmt::format("rtl         {} (Verilated), latency {} cycles\n", pe.rtl.top_module, pe.timing.latency_cycles);
  out << fmt::format("stimulus    {}\n",
                     request.vectors.empty() ? fmt::format("random, seed {}", request.seed) : request.vectors);
  out << fmt::format("cycles      {} ({} valid outputs)\n", r.cycles, r.valid_outputs);
  out << fmt::format("mismatches  {}\n", r.mismatches);
  out << fmt::format(
      "speed       model {:.3g} cycles/s, RTL {:.3g} cycles/s (model/RTL {:.2f}), each alone, best of 8 rounds of {} "
      "cycles; "
      "lockstep {:.3g} cycles/s\n",
      model_cps, rtl_cps, rtl_cps > 0 ? model_cps / rtl_cps : 0.0, r.speed_cycles, lockstep_cps);
}

std::unique_ptr<Stimulus> make_stimulus(const CosimRequest& request, const pe::PeInstance& pe) {
  if (request.vectors.empty()) return std::make_unique<Stimulus>(pe, request.seed);
  return std::make_unique<Stimulus>(pe, request.vectors);
}

void report_mismatch(const CosimRequest& request, const pe::PeInstance& pe, const rtl::VerilatedConfig& config,
                     const Mismatch& m, std::ostream& err) {
  err << fmt::format("pesim cosim: MISMATCH at cycle {} (operands entered at cycle {}, seed {})\n", m.cycle,
                     m.input_cycle, request.seed);
  err << fmt::format("  inputs  a={} b={} c={}\n", hex(m.inputs.a), hex(m.inputs.b), hex(m.inputs.c));
  err << fmt::format("  model   {}\n  rtl     {}\n", describe_outputs(m.model), describe_outputs(m.rtl));
  const std::string repro = write_reproducer(request, pe, m);
  if (!repro.empty()) {
    err << fmt::format("  reproduce: pesim cosim {} --set {} --vectors {}\n", pe.kind, pe.params_text(), repro);
  }
  const std::string vcd = request.vcd.empty()
                              ? fmt::format("{}/cosim_{}_seed{}.vcd", request.repro_dir, pe.kind, request.seed)
                              : request.vcd;
  auto traced = config.make(true);
  auto replay = make_stimulus(request, pe);
  write_mismatch_vcd(*traced, *replay, m, kVcdWindowCycles, vcd);
  err << fmt::format("  RTL waveform of the last {} cycles: {}\n", kVcdWindowCycles, vcd);
}

int list_verilated(std::ostream& out) {
  for (const auto& config : rtl::verilated_configs()) out << config.kind << " " << config.settings << "\n";
  return 0;
}

}  // namespace

void add_cosim_subcommand(CLI::App& app, CosimRequest& request) {
  auto* cmd = app.add_subcommand("cosim",
                                 "Run a PE's SystemC model and its Verilated RTL in lockstep, compare every "
                                 "output every cycle");
  cmd->add_option("pe", request.pe, "PE kind (pesim list pes)");
  cmd->add_option("--set", request.settings, "PE parameters key=value[,key=value]");
  cmd->add_option("--cycles", request.cycles, "cycles to simulate (random stimulus)")
      ->check(CLI::Range(uint64_t{1}, uint64_t{1} << 40));
  cmd->add_option("--seed", request.seed, "seed of the random stimulus");
  cmd->add_option("--vectors", request.vectors, "vector file ('a b c' hex per line) instead of random stimulus");
  cmd->add_option("--vcd", request.vcd, "where to write the RTL waveform around a mismatch");
  cmd->add_option("--repro-dir", request.repro_dir, "folder for the reproducer and waveform of a mismatch");
  cmd->add_option("--format", request.format, "text or json")->check(CLI::IsMember({"text", "json"}));
  cmd->add_flag("--list-rtl", request.list, "list the PE configurations this build verilated");
}

int run_cosim(const CosimRequest& request, std::ostream& out, std::ostream& err) {
  if (request.list) return list_verilated(out);
  if (request.pe.empty()) {
    err << "pesim cosim: name a PE kind (pesim list pes) or use --list-rtl\n";
    return 2;
  }
  pe::PeInstance pe;
  try {
    pe = pe::make_pe(request.pe, params::parse_set_options(request.settings));
  } catch (const params::ParamError& e) {
    err << "pesim cosim: " << e.what() << "\n";
    return 2;
  }
  const rtl::VerilatedConfig* config = rtl::find_verilated(pe.rtl.top_module, pe.rtl.parameters);
  if (config == nullptr) {
    err << fmt::format(
        "pesim cosim: this build has no Verilated RTL for {} {}; add it to rtl/verilated_configs.txt "
        "(pesim cosim --list-rtl shows the built ones)\n",
        pe.kind, pe.params_text());
    return 2;
  }
  auto rtl = config->make(false);
  std::unique_ptr<Stimulus> stimulus;
  try {
    stimulus = make_stimulus(request, pe);
  } catch (const std::runtime_error& e) {
    err << "pesim cosim: " << e.what() << "\n";
    return 2;
  }
  const CosimResult result = run_lockstep(pe, *rtl, *stimulus, request.vectors.empty() ? request.cycles : UINT64_MAX);
  print_result(request, pe, result, out);
  if (result.first_mismatch) {
    report_mismatch(request, pe, *config, *result.first_mismatch, err);
    return 1;
  }
  return 0;
}

}  // namespace pesim::cosim

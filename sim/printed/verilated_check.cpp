// SPDX-License-Identifier: Apache-2.0
#include "sim/printed/verilated_check.h"

#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "models/cost/synthesis.h"
#include "models/printed/verilog_generator.h"

namespace pesim::printed {
namespace {

namespace fs = std::filesystem;

// A main() that reads one sample per line (the input values) and prints one line of classes, circuit by circuit.
std::string harness_source(size_t circuit_count, int input_count) {
  std::ostringstream h;
  h << "#include <cstdio>\n#include <memory>\n#include \"Vprinted_bank.h\"\n#include \"verilated.h\"\n";
  h << "int main(int argc, char** argv) {\n  auto context = std::make_unique<VerilatedContext>();\n";
  h << "  context->commandArgs(argc, argv);\n  Vprinted_bank bank{context.get()};\n";
  h << fmt::format("  int x[{}];\n  for (;;) {{\n", input_count);
  for (int i = 0; i < input_count; ++i)
    h << fmt::format("    if (std::scanf(\"%d\", &x[{0}]) != 1) break;\n    bank.x{0} = x[{0}];\n", i);
  h << "    bank.eval();\n";
  for (size_t c = 0; c < circuit_count; ++c)
    h << fmt::format("    std::printf(\"{}%d\", static_cast<int>(bank.class_{}));\n", c == 0 ? "" : " ", c);
  h << "    std::printf(\"\\n\");\n  }\n  bank.final();\n  return 0;\n}\n";
  return h.str();
}

int run(const std::string& command) { return std::system(command.c_str()); }

std::vector<std::vector<int>> parse_classes(const std::string& output, size_t circuits, size_t samples) {
  std::vector<std::vector<int>> classes(circuits, std::vector<int>(samples));
  std::istringstream in(output);
  for (size_t s = 0; s < samples; ++s)
    for (size_t c = 0; c < circuits; ++c)
      if (!(in >> classes[c][s]))
        throw std::runtime_error(fmt::format("verilated printed bank: output ends at sample {} circuit {}", s, c));
  return classes;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// A full disk or a read-only directory is reported as such, not as a Verilator failure on a truncated file.
void write_checked(const fs::path& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
  out.flush();
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

}  // namespace

std::string bank_verilog(const std::vector<BespokeCircuit>& circuits) {
  if (circuits.empty()) throw std::invalid_argument("a printed bank needs at least one circuit");
  const QuantizedMlp& first = circuits.front().mlp();
  std::ostringstream v;
  for (size_t c = 0; c < circuits.size(); ++c) {
    const QuantizedMlp& mlp = circuits[c].mlp();
    if (mlp.input_count() != first.input_count() || mlp.input_bits != first.input_bits)
      throw std::invalid_argument(fmt::format("printed bank: circuit {} has {} inputs of {} bits, circuit 0 {} of {}",
                                              c, mlp.input_count(), mlp.input_bits, first.input_count(),
                                              first.input_bits));
    v << circuit_verilog(circuits[c], fmt::format("printed_circuit_{}", c)) << "\n";
  }
  v << "module printed_bank (\n";
  for (int i = 0; i < first.input_count(); ++i) v << fmt::format("  input wire [{}:0] x{},\n", first.input_bits - 1, i);
  for (size_t c = 0; c < circuits.size(); ++c)
    v << fmt::format("  output wire [{}:0] class_{}{}\n", class_index_bits(circuits[c].mlp().class_count()) - 1, c,
                     c + 1 == circuits.size() ? "" : ",");
  v << ");\n";
  for (size_t c = 0; c < circuits.size(); ++c) {
    v << fmt::format("  printed_circuit_{0} circuit_{0} (", c);
    for (int i = 0; i < first.input_count(); ++i) v << fmt::format(".x{0}(x{0}), ", i);
    v << fmt::format(".class_index(class_{}));\n", c);
  }
  v << "endmodule\n";
  return v.str();
}

VerilatedRun run_verilated(const std::vector<BespokeCircuit>& circuits, const std::vector<std::vector<int>>& samples,
                           const std::string& work_directory) {
  VerilatedRun result;
  result.verilog = bank_verilog(circuits);
  const fs::path dir = fs::absolute(work_directory);
  fs::create_directories(dir);
  write_checked(dir / "printed_bank.v", result.verilog);
  write_checked(dir / "harness.cpp", harness_source(circuits.size(), circuits.front().mlp().input_count()));
  std::ostringstream sample_lines;
  for (const std::vector<int>& sample : samples) {
    for (size_t i = 0; i < sample.size(); ++i) sample_lines << (i ? " " : "") << sample[i];
    sample_lines << "\n";
  }
  write_checked(dir / "samples.txt", sample_lines.str());

  auto start = std::chrono::steady_clock::now();
  const std::string build = fmt::format(
      "cd '{0}' && verilator --cc --exe --build -j 2 -Wall -Wno-UNUSED -Wno-DECLFILENAME --top-module printed_bank "
      "-Mdir obj printed_bank.v harness.cpp -o printed_bank > build.log 2>&1",
      dir.string());
  if (run(build) != 0)
    throw std::runtime_error(fmt::format("verilator failed on {} (log {}):\n{}", (dir / "printed_bank.v").string(),
                                         (dir / "build.log").string(),
                                         cost::last_lines(cost::read_text_file((dir / "build.log").string()), 12)));
  result.build_seconds = seconds_since(start);
  start = std::chrono::steady_clock::now();
  if (run(fmt::format("cd '{0}' && obj/printed_bank < samples.txt > classes.txt", dir.string())) != 0)
    throw std::runtime_error("the verilated printed bank failed in " + dir.string());
  result.run_seconds = seconds_since(start);
  result.classes = parse_classes(cost::read_text_file((dir / "classes.txt").string()), circuits.size(), samples.size());
  run(fmt::format("verilator --version > '{}' 2>&1", (dir / "version.txt").string()));
  result.verilator_version = cost::read_text_file((dir / "version.txt").string());
  while (!result.verilator_version.empty() && result.verilator_version.back() == '\n')
    result.verilator_version.pop_back();
  return result;
}

}  // namespace pesim::printed

// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace pesim::rtl {

// One cycle's inputs of a weight- or input-stationary array (rtl/array/systolic_stationary.v states the protocol).
struct StationaryArrayInputs {
  bool load = false;
  bool bypass = false;                    // with load: the row entering passes partial sums on unchanged
  std::vector<uint64_t> north_word;       // with load: COLS stationary words
  bool west_valid = false;                // a streamed row is presented
  std::vector<uint64_t> west_word;        // ROWS streamed words
  std::vector<uint8_t> north_psum_valid;  // COLS
  std::vector<uint64_t> north_psum;       // COLS partial sums of the presented row
};
struct StationaryArrayOutputs {
  std::vector<uint8_t> south_valid;  // COLS
  std::vector<uint64_t> south_psum;  // COLS
};

// One cycle's inputs of an output-stationary array (rtl/array/systolic_output_stationary.v).
struct OutputStationaryInputs {
  std::vector<uint8_t> west_row_valid;   // ROWS
  bool first = false, last = false;      // the presented reduction step is a chain's first / last
  std::vector<uint64_t> west_a;          // ROWS
  std::vector<uint8_t> north_col_valid;  // COLS
  std::vector<uint64_t> north_b;         // COLS
};
struct OutputStationaryOutputs {
  std::vector<uint8_t> done;  // ROWS x COLS: the PE took its chain's last step on the last edge
  std::vector<uint64_t> acc;  // ROWS x COLS partial sums
};

// A Verilated array, clocked by hand: inputs are applied while the clock is low, a rising edge registers them.
// Each model implements the pair of methods of its dataflow; the other pair throws std::logic_error.
class IRtlArray {
 public:
  virtual ~IRtlArray() = default;
  virtual void reset() = 0;  // two rising edges with rst high; leaves the clock low
  virtual void rising_edge() = 0;
  virtual void falling_edge() = 0;
  virtual void set_inputs(const StationaryArrayInputs& in);
  virtual void outputs(StationaryArrayOutputs& out) const;
  virtual void set_inputs(const OutputStationaryInputs& in);
  virtual void outputs(OutputStationaryOutputs& out) const;
};

// One array the build verilated (rtl/verilated_arrays.txt).
struct VerilatedArrayConfig {
  std::string arch_settings;  // pesim architecture settings (--set text) the line was written for
  std::string pe_top;
  std::map<std::string, int64_t> pe_parameters;
  std::string array_top;  // systolic_stationary or systolic_output_stationary
  std::map<std::string, int64_t> array_parameters;
  std::unique_ptr<IRtlArray> (*make)(const VerilatedArrayConfig& config);
};

const std::vector<VerilatedArrayConfig>& verilated_arrays();

// The verilated array with exactly these tops and parameters, or nullptr.
const VerilatedArrayConfig* find_verilated_array(const std::string& pe_top,
                                                 const std::map<std::string, int64_t>& pe_parameters,
                                                 const std::string& array_top,
                                                 const std::map<std::string, int64_t>& array_parameters);

}  // namespace pesim::rtl

// SPDX-License-Identifier: Apache-2.0
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "models/array/arch.h"
#include "models/cost/sram_model.h"
#include "models/cost/synthesis.h"
#include "models/cost/technology.h"

namespace pesim::cost {

class CostCache;

// Conventions of the whole-array cost (models/cost/README.md, "Whole arrays"):
// - PE array: the synthesized PE's cells x rows x cols (never a synthesized flattened array).
// - Shared units (PeInstance::shared_units): one instance per array row.
// - Array registers: what the array adds around its PEs (rtl/array/systolic_stationary.v): per PE a streamed-word
//   register, a stationary-word register and a valid bit (a_bits + b_bits + 1), and the edge skew registers,
//   rows (rows - 1) / 2 streamed words on the west edge and cols (cols - 1) / 2 words on the north edge (os: b
//   words; ws, is: partial sums), each bit the liberty's smallest flip-flop.
// - Wires between neighbouring PEs run over the cells (no area of their own); their energy is counted per hop.
// - SRAMs: ArchSpec's sizes are both halves of the double buffer (arch_param_specs), so each SRAM is costed at its
//   given size as two banks (one per half) of kSramWordBits-bit words.
constexpr int kSramWordBits = 64;
constexpr int kSramBanks = 2;

// A synthesized part and how many the array has.
struct ArrayPart {
  std::string name;
  int64_t count = 0;
  SynthesisResult unit;  // one instance
};

struct ArraySram {
  std::string name;  // "ifmap", "filter", "ofmap"
  int64_t capacity_bytes = 0;
  SramCost cost;
};

struct ArrayCost {
  std::string tech;
  TechKind kind = TechKind::kCmos;
  ArrayPart pe;
  std::vector<ArrayPart> shared_units;
  int64_t register_bits = 0;  // array registers (see above)
  std::string flop_cell;      // the flip-flop they are costed as (cell technologies)
  double flop_area_um2 = 0, flop_leakage_nw = 0;
  std::vector<ArraySram> srams;
  int hop_bits = 0;        // bits crossing one PE pitch per MAC (streamed word and partial sum, or os's a and b)
  double pe_pitch_um = 0;  // side of one PE (square), the length of a wire to a neighbour
  double vdd_v = 0;        // CMOS supply, for wire energy
  double clock_mhz = 0;

  double pe_array_um2() const;
  double shared_units_um2() const;
  double registers_um2() const;
  double srams_um2() const;
  double logic_um2() const;  // PE array + shared units + registers
  double total_um2() const;
  double pe_array_leakage_nw() const;
  double shared_units_leakage_nw() const;
  double registers_leakage_nw() const;
  double srams_leakage_nw() const;
  double total_leakage_nw() const;
  FpgaResources fpga_logic() const;  // FPGA: LUT/FF/carry/DSP of PEs, units and registers (FF per register bit)
  int64_t fpga_bram36() const;
  int64_t fpga_bram18() const;
  int64_t fpga_ice40_ebr() const;
};

// The array from its parts' synthesis results: `pe` for one PE, `units` one per PeInstance::shared_units entry, in
// order. Throws std::invalid_argument when the units do not match the PE's shared units.
ArrayCost array_cost(const array::ArchSpec& arch, const Technology& tech, const SynthesisResult& pe,
                     const std::vector<SynthesisResult>& units);

// A shared unit as a synthesizable design of its own, named after its PE ("mixpe.dequant_unit").
pe::PeInstance shared_unit_design(const pe::PeInstance& pe, const pe::SharedUnit& unit);

// Synthesizes (or finds in the cache) the PE and its shared units, then costs the array.
ArrayCost array_cost(const array::ArchSpec& arch, const Technology& tech, CostCache& cache);

// What a run did, as the simulator counts it.
struct AccessCounts {
  double pe_operations = 0;           // operations issued to PEs (MixPE's DEQUANTs included)
  double macs = 0;                    // multiply-accumulates (a streamed word and a partial sum move one hop each)
  double shared_unit_operations = 0;  // operations of the shared units (MixPE: one DEQUANT per group)
  double ifmap_read_bytes = 0, ifmap_write_bytes = 0;
  double filter_read_bytes = 0, filter_write_bytes = 0;
  double ofmap_read_bytes = 0, ofmap_write_bytes = 0;
  double dram_bytes = 0;  // read and written
  double cycles = 0;      // run time, for leakage energy
};

// Energy of a run by component, pJ.
struct ArrayEnergy {
  double pe_pj = 0, shared_units_pj = 0, interconnect_pj = 0;
  double ifmap_sram_pj = 0, filter_sram_pj = 0, ofmap_sram_pj = 0, dram_pj = 0, leakage_pj = 0;
  double total_pj() const;
};

// Dynamic energy per operation of the PE and of a shared unit, pJ: from switching activity where the caller has it,
// else fallback_energy_per_op_pj().
struct OperationEnergy {
  double pe_pj = 0;
  double shared_unit_pj = 0;
};

// Energy of a run on the array (CMOS technologies; throws std::invalid_argument for others). SRAM accesses are of
// kSramWordBits-bit words (bytes / 8 per access, fractional on average); interconnect is each MAC's streamed word
// and partial sum crossing one PE pitch of wire; leakage is the array's total leakage over cycles / clock.
ArrayEnergy array_energy(const ArrayCost& cost, const AccessCounts& counts, const OperationEnergy& op);

// FALLBACK, not measured: a constant-activity estimate of a synthesized design's dynamic energy per operation,
// alpha = 0.15 of its logic cells toggling once per operation, each driving fanout 2 of the liberty's mean input
// capacitance plus one cell pitch of wire (kWireCapacitance_ff_per_um), and every flip-flop's clock pin charged once
// per cycle, at the technology's supply; CMOS only. Use switching activity where it exists.
double fallback_energy_per_op_pj(const SynthesisResult& design, const Technology& tech);
constexpr double kFallbackActivity = 0.15;
constexpr double kFallbackFanout = 2.0;

}  // namespace pesim::cost

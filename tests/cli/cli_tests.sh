#!/usr/bin/env bash
# End-to-end checks of the pesim command line. Usage: cli_tests.sh PESIM CASE
# Expected outputs are worked by hand (IEEE/OCP encodings, HLS examples), never captured from pesim.
set -uo pipefail
pesim=$1
case_name=$2
here=$(cd "$(dirname "$0")" && pwd)

fail() { echo "FAIL: $*" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# write_npy_f32 FILE ROWS COLS HEXWORDS...: a float32 .npy, each value given as its little-endian hex bytes.
write_npy_f32() {
  local file=$1 rows=$2 cols=$3
  shift 3
  local header="{'descr': '<f4', 'fortran_order': False, 'shape': ($rows, $cols), }"
  while (( (10 + ${#header} + 1) % 64 != 0 )); do header+=" "; done
  header+=$'\n'
  { printf '\x93NUMPY\x01\x00'; printf "\\x$(printf %02x $(( ${#header} % 256 )))\\x$(printf %02x $(( ${#header} / 256 )))";
    printf '%s' "$header"; for w in "$@"; do printf "\\x${w:0:2}\\x${w:2:2}\\x${w:4:2}\\x${w:6:2}"; done; } > "$file"
}

case $case_name in
  eval_fma_bf16)
    printf '3f80 4000 3f80\n7f80 0 0\n' | "$pesim" eval fma.bf16 | diff - "$here/golden/eval_fma_bf16.txt" ;;
  eval_canonical_nans)
    for spec in bf16:ffc1:7fc0 fp16:fc01:7e00 fp32:ff800001:7fc00000 e5m2:ff:7e e4m3:ff:7f; do
      IFS=: read -r fmt nan want <<<"$spec"
      got=$(echo "$nan 0" | "$pesim" eval "add.$fmt" | cut -d' ' -f3)
      [ "$got" = "$want" ] || fail "$fmt: NaN written as $got, want $want"
    done ;;
  eval_malformed_line_names_line)
    out=$(printf '3f80 3f80\n3f80 xyz\n3f80 3f80\n' | "$pesim" eval add.bf16 2>&1) && fail "exit status 0"
    grep -q '<stdin>:2: field 2' <<<"$out" || fail "message does not name line 2, field 2: $out"
    grep -qx '3f80 3f80 4000' <<<"$out" || fail "line 1 was lost: $out" ;;
  eval_too_wide_operand)
    echo '1ffff 0' | "$pesim" eval add.bf16 && fail "accepted a 17-bit bf16 operand"; true ;;
  eval_wrong_operand_count)
    echo '3f80' | "$pesim" eval fma.bf16 && fail "accepted one operand for fma"; true ;;
  eval_unknown_key_suggests)
    out=$("$pesim" eval add.fp16 --set bais=3 </dev/null 2>&1) && fail "exit status 0"
    grep -q "did you mean 'bias'" <<<"$out" || fail "no suggestion: $out" ;;
  eval_unknown_format)
    "$pesim" eval add.bf61 </dev/null && fail "accepted format bf61"; true ;;
  eval_flags_column)
    echo '7bff 7bff' | "$pesim" eval add.fp16 --flags | grep -qx '7bff 7bff 7c00 05' || fail "fp16 max+max" ;;
  cast_fixed_worked_examples)
    printf '19\n-19\n' | "$pesim" eval cast.fixed --set W=4,I=4,Q=AP_RND,O=AP_SAT | diff - "$here/golden/cast_fixed_rnd_sat.txt" || exit 1
    echo -19 | "$pesim" eval cast.fixed --set W=4,I=4,Q=AP_RND,O=AP_SAT_SYM | grep -qx -- '-19 9 -7' || fail "AP_SAT_SYM" ;;
  cast_fixed_fraction)
    echo 0.1 | "$pesim" eval cast.fixed --set W=8,I=1,Q=AP_RND_CONV | grep -qx '0.1 0d 0.1015625' || fail "0.1" ;;
  cast_fixed_malformed)
    echo 1.2.3 | "$pesim" eval cast.fixed --set W=8,I=4 && fail "accepted 1.2.3"; true ;;
  error_default_runs)
    "$pesim" error --m 8 --n 8 --k 32 --format json | grep -q '"input_format": "bf16"' || fail "no bf16 result" ;;
  list_pes)
    out=$("$pesim" list pes) || fail "exit status"
    for word in fma_fp mac_fixed mac_int window_bits khot stages; do grep -q "$word" <<<"$out" || fail "no $word"; done ;;
  cosim_json_fields)
    out=$("$pesim" cosim fma_fp --cycles 5000 --format json) || fail "exit status: $out"
    for key in '"pe":"fma_fp"' '"params":{' '"cycles":5000' '"mismatches":0' '"model_cycles_per_s":' \
               '"rtl_cycles_per_s":'; do grep -qF "$key" <<<"$out" || fail "no $key in $out"; done ;;
  cosim_unknown_pe)
    out=$("$pesim" cosim fma_pf 2>&1); [ $? -eq 2 ] || fail "exit status not 2"
    grep -q "did you mean 'fma_fp'" <<<"$out" || fail "no suggestion: $out" ;;
  cosim_not_verilated)
    out=$("$pesim" cosim fma_fp --set in=fp16,acc=bf16 2>&1); [ $? -eq 2 ] || fail "exit status not 2"
    grep -q "rtl/verilated_configs.txt" <<<"$out" || fail "no hint: $out" ;;
  cosim_bad_vector_file)
    printf '3f80 3f80 0\n3f80 zz 0\n' > "$work/bad.vec"
    out=$("$pesim" cosim fma_fp --vectors "$work/bad.vec" 2>&1); [ $? -eq 2 ] || fail "exit status not 2"
    grep -q "bad.vec:2: field 2" <<<"$out" || fail "does not name line 2, field 2: $out"
    printf '1ffff 3f80 0\n' > "$work/wide.vec"
    out=$("$pesim" cosim fma_fp --vectors "$work/wide.vec" 2>&1); [ $? -eq 2 ] || fail "accepted a 17-bit bf16 word"
    grep -q "wide.vec:1: field 1" <<<"$out" || fail "does not name line 1, field 1: $out" ;;
  error_pe_npy)
    # A = [[1, 2], [3, 0.5]], B = [[0.25, 1], [-1, 2]]: Y = [[-1.75, 5], [0.25, 4]], exact in bf16 x bf16 -> fp32.
    write_npy_f32 "$work/a.npy" 2 2 0000803f 00000040 00004040 0000003f
    write_npy_f32 "$work/b.npy" 2 2 0000803e 0000803f 000080bf 00000040
    out=$("$pesim" error fma_fp --npy "$work/a.npy" "$work/b.npy" --format json) || fail "exit status: $out"
    for key in '"m":2' '"k":2' '"n":2' '"max_abs_error":0.0' '"nonfinite_outputs":0'; do
      grep -qF "$key" <<<"$out" || fail "no $key in $out"; done
    write_npy_f32 "$work/c.npy" 1 3 0000803f 0000803f 0000803f
    out=$("$pesim" error fma_fp --npy "$work/a.npy" "$work/c.npy" 2>&1); [ $? -eq 2 ] || fail "accepted 2x2 * 1x3"
    grep -q "c.npy is 1x3" <<<"$out" || fail "shape message: $out"
    printf 'not numpy' > "$work/d.npy"
    out=$("$pesim" error fma_fp --npy "$work/d.npy" "$work/b.npy" 2>&1); [ $? -eq 2 ] || fail "accepted a non-npy file"
    grep -q "d.npy: not a .npy file" <<<"$out" || fail "bad magic: $out" ;;
  error_mixpe_scales)
    # A = [[1, 2]], B = [[0.5], [0.25]], s = 0.25, z = 8: q = 10, 9; (q - z) * s = 0.5, 0.25; Y = 1, exact for both PEs.
    write_npy_f32 "$work/a.npy" 1 2 0000803f 00000040
    write_npy_f32 "$work/b.npy" 2 1 0000003f 0000803e
    write_npy_f32 "$work/s.npy" 1 1 0000803e
    write_npy_f32 "$work/z.npy" 1 1 00000041
    out=$("$pesim" error mixpe --set act=fp16 --npy "$work/a.npy" "$work/b.npy" --scales "$work/s.npy" "$work/z.npy" \
      --format json) || fail "exit status: $out"
    for key in '"mixpe_vs_exact_max_abs_error":0.0' '"baseline_vs_exact_max_abs_error":0.0' \
      '"quantized_vs_real_max_abs_error":0.0' '"identical_to_baseline":1' '"outputs":1'; do
      grep -qF "$key" <<<"$out" || fail "no $key in $out"; done
    write_npy_f32 "$work/z16.npy" 1 1 00008041
    out=$("$pesim" error mixpe --npy "$work/a.npy" "$work/b.npy" --scales "$work/s.npy" "$work/z16.npy" 2>&1)
    [ $? -eq 2 ] || fail "accepted zero point 16 for 4-bit weights"
    grep -q "z16.npy: element 0 (row 0, column 0): zero point 16" <<<"$out" || fail "message: $out"
    out=$("$pesim" error mixpe --npy "$work/a.npy" "$work/b.npy" --scales "$work/b.npy" "$work/z.npy" 2>&1)
    [ $? -eq 2 ] || fail "accepted a 2x1 scale file for 1 group x 1 column"
    grep -q "b.npy: shape 2x1, expected 1x1" <<<"$out" || fail "message: $out" ;;
  sim_compat_scalesim)
    # GEMM 256 x 128 x 256 on 32x32: SCALE-Sim v2's golden reports give 11199 (ws), 10175 (os), 14207 (is) cycles.
    printf 'Layer, M, N, K,\nfc, 256, 128, 256,\n' > "$work/gemm.csv"
    for pair in ws:11199 os:10175 is:14207; do
      out=$("$pesim" sim --arch scalesim --set "dataflow=${pair%%:*}" --workload "$work/gemm.csv" --compat scalesim \
        --format csv) || fail "exit status: $out"
      grep -q "^0, ${pair##*:}, 0, .*, fc, 256, 128, 256, " <<<"$out" || fail "${pair%%:*}: $out"
    done
    out=$("$pesim" sim --arch mixpe-w4a8 --workload llama2-7b:decode --format json) || fail "zoo run: $out"
    grep -q '"layers":\[{"name":"attn_norm","unit":"vector","op":"rmsnorm"' <<<"$out" || fail "zoo layers: $out"
    grep -q '{"name":"q_proj","unit":"array","op":"gemm"' <<<"$out" || fail "zoo q_proj: $out" ;;
  sim_cycle_engine)
    printf 'Layer, M, N, K,\nfc, 20, 9, 37,\n' > "$work/small.csv"
    out=$("$pesim" sim --arch fp16 --set rows=8,cols=4 --workload "$work/small.csv" --engine cycle --seed 3 \
      --format json) || fail "exit status: $out"
    for key in '"value_mismatches":0' '"seed":3' '"cycle_engine_cycles":'; do
      grep -qF "$key" <<<"$out" || fail "no $key in $out"; done
    out=$("$pesim" sim --arch scalesim --workload "$work/small.csv" --engine cycle --format json) || fail "os: $out"
    grep -qF '"value_mismatches":0' <<<"$out" || fail "os: $out"
    out=$("$pesim" sim --arch scalesim --set pe.stages=2 --workload "$work/small.csv" --engine cycle 2>&1)
    [ $? -eq 2 ] || fail "ran a pipelined PE in an os array"
    grep -q "needs a one-cycle PE" <<<"$out" || fail "message: $out"
    out=$("$pesim" sim --workload "$work/small.csv" --engine cycle --max-macs 100 2>&1); [ $? -eq 2 ] || fail "max-macs"
    grep -q "over the limit of 100 (--max-macs)" <<<"$out" || fail "message: $out" ;;
  sim_cycle_check)
    # 48 x 40 = 1920 outputs: the default sample compares 256 of them, --check full all, none none; the fast kernels
    # (fp16 -> fp32 fused multiply-add; int8) and the reference path give the same results, checked in full.
    printf 'Layer, M, N, K,\nfc, 48, 40, 33,\n' > "$work/fc.csv"
    for arch in fp16 int8; do
      for check in sample:256 full:1920 none:0; do
        out=$("$pesim" sim --arch "$arch" --set rows=8,cols=8 --workload "$work/fc.csv" --engine cycle \
          --check "${check%%:*}" --format json) || fail "$arch --check ${check%%:*}: $out"
        for key in "\"outputs_checked\":${check##*:}" "\"value_check\":\"${check%%:*}\"" '"value_mismatches":0'; do
          grep -qF "$key" <<<"$out" || fail "$arch: no $key in $out"; done
      done
      fast=$("$pesim" sim --arch "$arch" --workload "$work/fc.csv" --engine cycle --check full --format json)
      reference=$("$pesim" sim --arch "$arch" --workload "$work/fc.csv" --engine cycle --check full \
        --kernel reference --format json) || fail "$arch --kernel reference: $reference"
      grep -qF '"kernel":"reference"' <<<"$reference" || fail "kernel not recorded: $reference"
      errors() { grep -o '"max_rel_error":[^,]*,"mean_rel_error":[^,]*' <<<"$1"; }
      [ -n "$(errors "$fast")" ] && [ "$(errors "$fast")" = "$(errors "$reference")" ] ||
        fail "$arch: fast and reference kernels differ: $(errors "$fast") vs $(errors "$reference")"
    done
    out=$("$pesim" sim --workload "$work/fc.csv" --engine cycle --check some 2>&1); [ $? -ne 0 ] || fail "--check some"
    grep -q "check" <<<"$out" || fail "message: $out"
    # --threads: the same JSON on 1, 2 and 3 threads but for the wall times and the threads key (DRAM stalls too).
    untimed() { jq -c 'del(.seconds, .threads) | .layers |= map(del(.cycle_engine_cycles_per_s))' <<<"$1"; }
    one=$("$pesim" sim --arch int8 --set rows=8,cols=8 --workload "$work/fc.csv" --engine cycle --threads 1       --format json) || fail "--threads 1: $one"
    for threads in 2 3; do
      many=$("$pesim" sim --arch int8 --set rows=8,cols=8 --workload "$work/fc.csv" --engine cycle --threads $threads         --format json) || fail "--threads $threads: $many"
      [ "$(untimed "$one")" = "$(untimed "$many")" ] || fail "--threads $threads differs: $(untimed "$many")"
    done ;;
  sim_cycle_mixpe)
    printf 'Layer, M, N, K,\nproj, 5, 12, 70,\n' > "$work/proj.csv"
    out=$("$pesim" sim --arch mixpe-w4a8 --set rows=8,cols=8,pe.group_size=32 --workload "$work/proj.csv" \
      --engine cycle --format json) || fail "exit status: $out"
    for key in '"value_mismatches":0' '"cycle_engine_cycles":'; do
      grep -qF "$key" <<<"$out" || fail "no $key in $out"; done
    out=$("$pesim" sim --arch mixpe-w4a8 --set pe.datapath=serial --workload "$work/proj.csv" --engine cycle 2>&1)
    [ $? -eq 2 ] || fail "ran a serial MixPE"
    grep -q "takes one every 4 cycles" <<<"$out" || fail "message: $out" ;;
  cosim_array_cli)
    out=$("$pesim" cosim-array --set rows=4,cols=4,dataflow=os,pe=mac_int --gemm 9x13x6 --format json) ||
      fail "exit status: $out"
    for key in '"value_mismatches":0' '"cycle_mismatches":0' '"chain_mismatches":0' '"outputs_compared":54'; do
      grep -qF "$key" <<<"$out" || fail "no $key in $out"; done
    out=$("$pesim" cosim-array --set rows=3,cols=4,dataflow=os,pe=mac_int 2>&1); [ $? -eq 2 ] || fail "no RTL array"
    grep -q "no verilated RTL array" <<<"$out" || fail "message: $out"
    out=$("$pesim" cosim-array --set rows=4,cols=4 --gemm 4x0x4 2>&1); [ $? -eq 2 ] || fail "accepted K=0"
    grep -q "expected MxKxN" <<<"$out" || fail "message: $out"
    out=$("$pesim" cosim-array --set rowz=4 2>&1); [ $? -eq 2 ] || fail "accepted rowz"
    grep -q "rows" <<<"$out" || fail "no suggestion: $out"
    "$pesim" cosim-array --list-rtl | grep -q "rows=8,cols=8,dataflow=ws,pe=mixpe" || fail "list" ;;
  sim_energy)
    printf 'Layer, M, N, K,\nfc, 20, 9, 37,\n' > "$work/small.csv"
    out=$("$pesim" sim --arch int8 --set rows=4,cols=4 --workload "$work/small.csv" --tech ihp_sg13g2 \
      --cost-db "$work/cost.db" --format json) || fail "exit status: $out"
    for key in '"tech":"ihp_sg13g2"' '"energy":{"total_pj":' '"pe_energy_per_op_pj":' '"dram_pj":'; do
      grep -qF "$key" <<<"$out" || fail "no $key in $out"; done
    # The PE's switching-activity estimate is kept in the cost cache and read back by the next run (one row, and a
    # value planted in it is what the next run reports); a build from a modified tree neither keeps nor reads one.
    rows=$(sqlite3 "$work/cost.db" "SELECT count(*) FROM energy WHERE key LIKE '% mac_int % pe %'" 2>/dev/null || echo 0)
    if "$pesim" --version | head -1 | grep -q -- '-dirty)'; then
      [ "$rows" = 0 ] || fail "a modified build kept an energy estimate"
    else
      [ "$rows" = 1 ] || fail "no energy row"
      sqlite3 "$work/cost.db" "UPDATE energy SET energy_per_op_pj = 1.25 WHERE key LIKE '% mac_int % pe %'"
      out=$("$pesim" sim --arch int8 --set rows=4,cols=4 --workload "$work/small.csv" --tech ihp_sg13g2 \
        --cost-db "$work/cost.db" --format json) || fail "exit status: $out"
      grep -qF '"pe_energy_per_op_pj":1.25' <<<"$out" || fail "cached energy not read back: $out"
    fi
    out=$("$pesim" sim --arch int8 --workload "$work/small.csv" --tech egfet --cost-db "$work/cost.db" 2>&1)
    [ $? -eq 2 ] || fail "energy on a printed technology"
    grep -q "needs a CMOS technology" <<<"$out" || fail "message: $out"
    out=$("$pesim" sim --arch int8 --workload "$work/small.csv" --tech nosuch --cost-db "$work/cost.db" 2>&1)
    [ $? -eq 2 ] || fail "accepted an unknown technology"
    grep -q "nosuch" <<<"$out" || fail "message: $out" ;;
  sim_cycle_npy)
    # A = [[1, 2], [3, 0.5]], B = [[0.25, 1], [-1, 2]]: Y exact in bf16 x bf16 -> fp32, so the error is 0.
    write_npy_f32 "$work/a.npy" 2 2 0000803f 00000040 00004040 0000003f
    write_npy_f32 "$work/b.npy" 2 2 0000803e 0000803f 000080bf 00000040
    printf 'Layer, M, N, K,\nfc, 2, 2, 2,\n' > "$work/fc.csv"
    out=$("$pesim" sim --arch fp16 --set pe.in=bf16 --workload "$work/fc.csv" --engine cycle --npy "$work/a.npy" \
      "$work/b.npy" --format json) || fail "exit status: $out"
    for key in '"value_mismatches":0' '"max_rel_error":0.0'; do grep -qF "$key" <<<"$out" || fail "no $key in $out"; done
    printf 'Layer, M, N, K,\nfc, 2, 3, 2,\n' > "$work/fc3.csv"
    out=$("$pesim" sim --workload "$work/fc3.csv" --engine cycle --npy "$work/a.npy" "$work/b.npy" 2>&1)
    [ $? -eq 2 ] || fail "accepted tensors of another shape"
    grep -q "layer fc is a 2x2x3 GEMM" <<<"$out" || fail "message: $out"
    out=$("$pesim" sim --workload "$work/fc.csv" --npy "$work/a.npy" "$work/b.npy" 2>&1); [ $? -eq 2 ] || fail "analytical"
    grep -q "only --engine cycle" <<<"$out" || fail "message: $out" ;;
  sim_bad_inputs)
    printf 'Layer, H, W, Fh, Fw, C, N, S,\nc1, 8, 8, 3, 3, 4, 16, 1,\nc2, 8, 8, 3, 3, 4, 16,\n' > "$work/bad.csv"
    out=$("$pesim" sim --workload "$work/bad.csv" 2>&1); [ $? -eq 2 ] || fail "accepted a 7-field row"
    grep -q "bad.csv:3: 7 fields" <<<"$out" || fail "message: $out"
    out=$("$pesim" sim --workload llama2-7b:decode --set rwos=4 2>&1); [ $? -eq 2 ] || fail "accepted rwos"
    grep -q "rows" <<<"$out" || fail "no suggestion: $out"
    out=$("$pesim" sim --workload llama2-7b:decode --set pe=mixp 2>&1); [ $? -eq 2 ] || fail "accepted pe=mixp"
    out=$("$pesim" sim --workload llama2-7b:decode --set rows=0 2>&1); [ $? -eq 2 ] || fail "accepted rows=0"
    printf 'rows: 8\ncolz: 4\n' > "$work/bad.yaml"
    out=$("$pesim" sim --arch "$work/bad.yaml" --workload llama2-7b:decode 2>&1); [ $? -eq 2 ] || fail "accepted colz"
    grep -q "bad.yaml:2" <<<"$out" || fail "message: $out" ;;
  sim_workload_yaml)
    example="$here/../../workloads/examples/decoder_block.yaml"
    out=$("$pesim" sim --arch int8 --workload "$example" --format json) || fail "exit status: $out"
    # softmax: 524288 elements, 3 passes over 32 lanes = 49152 cycles; 4 blocks
    grep -q '{"name":"softmax","unit":"vector","op":"softmax","elements":524288,"repeat":4,"passes":3,"compute_cycles":49152,' <<<"$out" ||
      fail "softmax row: $out"
    grep -q '"vector_cycles":[1-9]' <<<"$out" || fail "no vector cycles in the totals: $out"
    total=$(grep -o '"total_cycles":[0-9]*' <<<"$out" | head -1 | cut -d: -f2)
    array=$(grep -o '"array_cycles":[0-9]*' <<<"$out" | cut -d: -f2)
    vector=$(grep -o '"vector_cycles":[0-9]*' <<<"$out" | cut -d: -f2)
    [ "$total" -eq $((array + vector)) ] || fail "total $total != array $array + vector $vector"
    out=$("$pesim" sim --arch int8 --workload "$example" --format csv) || fail "csv: $out"
    grep -q '^5, [0-9]*, [0-9]*, .*, softmax, , , , 4, [0-9]*, [0-9]*, vector, softmax, 524288,$' <<<"$out" || fail "csv: $out"
    out=$("$pesim" sim --arch int8 --workload "$example") || fail "text: $out"
    grep -Eq '^softmax +softmax +524288 +4 +49152 ' <<<"$out" || fail "text row: $out"
    grep -q '16 ops (7 on the vector unit)' <<<"$out" || fail "text total: $out"
    out=$("$pesim" sim --arch scalesim --workload "$here/../../workloads/examples/conv_stem.json" --format csv) ||
      fail "json workload: $out"
    grep -q ', conv2_dw, 12544, 1, 9, 64, ' <<<"$out" || fail "depthwise row: $out" ;;
  sim_workload_yaml_errors)
    printf 'ops:\n  - {name: a, type: gemm, m: 4, n: 4, k: 4}\n  - {name: b, type: gemm, m: 4, n: 4, kk: 4}\n' > "$work/typo.yaml"
    out=$("$pesim" sim --workload "$work/typo.yaml" 2>&1); [ $? -eq 2 ] || fail "accepted key kk"
    grep -q "typo.yaml:3: op 'b' (gemm): unknown key 'kk' (did you mean 'k'?)" <<<"$out" || fail "message: $out"
    printf 'ops:\n  - name: a\n    type: softmax\n    elements: 0\n' > "$work/zero.yaml"
    out=$("$pesim" sim --workload "$work/zero.yaml" 2>&1); [ $? -eq 2 ] || fail "accepted elements: 0"
    grep -q "zero.yaml:4: op 'a': elements: 0 is not a positive integer" <<<"$out" || fail "message: $out"
    printf 'ops:\n  - {name: x, type: add, elements: 8, after: [z]}\n  - {name: y, type: gemm, m: 2, n: 2, k: 2, after: x}\n  - {name: z, type: relu, elements: 8, after: y}\n' > "$work/cycle.yaml"
    out=$("$pesim" sim --workload "$work/cycle.yaml" 2>&1); [ $? -eq 2 ] || fail "accepted a cycle"
    grep -q "dependency cycle: x (.*cycle.yaml:2) -> y (.*cycle.yaml:3) -> z (.*cycle.yaml:4) -> x" <<<"$out" ||
      fail "message: $out"
    printf '{"ops": [{"name": "a", "type": "gemm", "m": 4, "n": -4, "k": 4}]}\n' > "$work/neg.json"
    out=$("$pesim" sim --workload "$work/neg.json" 2>&1); [ $? -eq 2 ] || fail "accepted n: -4"
    grep -q "neg.json:1: op 'a': n: -4 is not a positive integer" <<<"$out" || fail "message: $out" ;;
  sim_db_roundtrip)
    db="$work/runs.db"
    json=$("$pesim" sim --arch int8 --workload llama2-7b:decode --batch 2 --seq 512 --db "$db" --format json) ||
      fail "exit status: $json"
    "$pesim" sim --arch fp16 --workload "$here/../../workloads/examples/decoder_block.yaml" --db "$db" >/dev/null ||
      fail "second run"
    q() { sqlite3 "$db" "$1"; }
    [ "$(q 'SELECT count(*) FROM sim_runs')" = 2 ] || fail "runs: $(q 'SELECT * FROM sim_runs')"
    [ "$(q 'PRAGMA journal_mode')" = wal ] || fail "not WAL"
    [ "$(q "SELECT version FROM schema_versions WHERE component = 'sim'")" = 1 ] || fail "schema version"
    [ "$(q 'SELECT count(*) FROM sim_layer_results WHERE run_id = 1')" = 18 ] || fail "llama ops"
    [ "$(q "SELECT count(*) FROM sim_layer_results WHERE run_id = 2 AND unit = 'vector'")" = 7 ] || fail "vector ops"
    [ "$(q 'SELECT workload, batch, seq, engine FROM sim_runs WHERE id = 1')" = 'llama2-7b:decode|2|512|analytical' ] ||
      fail "run: $(q 'SELECT * FROM sim_runs WHERE id = 1')"
    q 'SELECT command_line FROM sim_runs WHERE id = 1' | grep -q -- "sim --arch int8 --workload llama2-7b:decode" ||
      fail "command line"
    q 'SELECT arch FROM sim_runs WHERE id = 1' | grep -q "vector_lanes=32" || fail "arch text"
    total=$(grep -o '"total_cycles":[0-9]*' <<<"$json" | head -1 | cut -d: -f2)
    [ "$(q 'SELECT total_cycles FROM sim_totals WHERE run_id = 1')" = "$total" ] || fail "totals != $total"
    [ "$(q 'SELECT sum(total_cycles * repeat) FROM sim_layer_results WHERE run_id = 1')" = "$total" ] ||
      fail "layer rows do not add up to $total"
    [ "$(q "SELECT elements FROM sim_layer_results WHERE run_id = 1 AND layer = 'softmax'")" = $((2 * 32 * 512)) ] ||
      fail "softmax elements" ;;
  sim_db_bad_path)
    out=$("$pesim" sim --workload llama2-7b:decode --db "$work/no/such/dir/runs.db" 2>&1); [ $? -eq 2 ] ||
      fail "exit status not 2"
    grep -q "no/such/dir/runs.db: cannot create the database" <<<"$out" || fail "message: $out"
    grep -q "total:" <<<"$out" && fail "simulated anyway: $out"
    printf 'not a database\n' > "$work/notes.txt"
    out=$("$pesim" sim --workload llama2-7b:decode --db "$work/notes.txt" 2>&1); [ $? -eq 2 ] || fail "accepted a text file"
    grep -q "notes.txt: file is not a database" <<<"$out" || fail "message: $out"
    [ "$(cat "$work/notes.txt")" = 'not a database' ] || fail "the text file was changed"
    [ ! -e "$work/notes.txt-wal" ] || fail "left a WAL file" ;;
  error_pe_bad_gemm)
    out=$("$pesim" error fma_fp --gemm 4x4 2>&1); [ $? -eq 2 ] || fail "accepted --gemm 4x4"
    grep -q "MxKxN" <<<"$out" || fail "message: $out" ;;
  error_pe_every_kind_runs)
    for pe in "fma_fp --set norm=approx,window_bits=2" "mac_int" "mac_fixed --set khot=2" "mac_fixed" \
      "dequant_fma" "bitfusion --set a_bits=8,b_bits=8" "bitfusion" "mixpe"; do
      # shellcheck disable=SC2086
      out=$("$pesim" error $pe --gemm 4x64x4 --dist outliers --format json)
      grep -q '"outputs":16' <<<"$out" || fail "$pe: $out"
      # integer and exact-product PEs: no error beyond their formats' (bitfusion's 2-lane default included)
      case $pe in mac_int*|bitfusion*) grep -q '"max_rel_error":0.0' <<<"$out" || fail "$pe error: $out" ;; esac
    done ;;
  list_zoo)
    out=$("$pesim" list zoo) || fail "exit status"
    grep -q "down_proj 11008x4096" <<<"$out" || fail "no llama2-7b down_proj: $out"
    grep -q "tokens/image=197" <<<"$out" || fail "no vit-b16 tokens: $out" ;;
  error_zoo_layer)
    out=$("$pesim" error mac_int --zoo llama2-7b:decode:down_proj --batch 4 --sample-outputs 2x3 --format json) ||
      fail "exit status: $out"
    for key in '"m":2' '"k":11008' '"n":3' '"outputs":6' 'layer GEMM 4x11008x4096'; do
      grep -qF "$key" <<<"$out" || fail "no $key in $out"; done
    out=$("$pesim" error mac_int --zoo llama2-7b:decode:dwn 2>&1); [ $? -eq 2 ] || fail "accepted layer dwn"
    grep -q "has q_proj" <<<"$out" || fail "does not list the layers: $out"
    out=$("$pesim" error mac_int --zoo vit-b16:decode:fc1 2>&1); [ $? -eq 2 ] || fail "accepted ViT decode" ;;
  cost_cached)
    first=$("$pesim" cost mac_int --set a_bits=4,b_bits=4,acc_bits=12 --db "$work/cost.db" --format json) ||
      fail "exit status: $first"
    grep -q '"cached":false' <<<"$first" || fail "first run cached: $first"
    second=$("$pesim" cost mac_int --set a_bits=4,b_bits=4,acc_bits=12 --db "$work/cost.db" --format json) ||
      fail "exit status: $second"
    grep -q '"cached":true' <<<"$second" || fail "second run not cached: $second"
    area() { grep -o '"area_um2":[0-9.]*' <<<"$1"; }
    [ "$(area "$first")" = "$(area "$second")" ] || fail "cached area differs: $first / $second"
    [ "$(area "$first")" != '"area_um2":0' ] || fail "zero area"
    out=$("$pesim" cost mac_int --tech ihp130 --db "$work/cost.db" 2>&1); [ $? -eq 2 ] || fail "accepted tech ihp130"
    grep -q "known: ihp_sg13g2" <<<"$out" || fail "message: $out" ;;
  cost_arch_bad_inputs)
    out=$("$pesim" cost --arch int8 --tech ihp130 --db "$work/cost.db" 2>&1); [ $? -eq 2 ] || fail "accepted tech ihp130"
    grep -q "known: ihp_sg13g2" <<<"$out" || fail "message: $out"
    out=$("$pesim" cost --arch int8 --set filter_sram_bytes=0 --db "$work/cost.db" 2>&1); [ $? -eq 2 ] ||
      fail "accepted a zero-size SRAM: $out"
    grep -q "filter_sram_bytes" <<<"$out" || fail "message does not name the SRAM: $out"
    out=$("$pesim" cost --arch nope.yaml --db "$work/cost.db" 2>&1); [ $? -eq 2 ] || fail "accepted a missing file" ;;
  *) fail "unknown case $case_name" ;;
esac

#!/usr/bin/env bash
# Regression inputs from hostile-user testing: each case is a reproducer of a crash, hang, runaway allocation or silent
# wrong result that pesim once had, and checks the refusal (exit status 2, a message naming the file and field) or the
# right result that replaced it. Usage: hostile_inputs.sh PESIM CASE
set -uo pipefail
pesim=$1
case_name=$2

fail() { echo "FAIL: $*" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# expect_refusal OUTPUT_PATTERN COMMAND...: the command exits with status 2 within 60 s and its stderr matches.
expect_refusal() {
  local pattern=$1
  shift
  local out status
  out=$(timeout 60 "$@" 2>&1 >/dev/null)
  status=$?
  [ $status -eq 2 ] || fail "exit status $status (want 2) from: ${*:1:3}...: ${out:0:300}"
  grep -Eq -- "$pattern" <<<"$out" || fail "message does not match '$pattern': ${out:0:300}"
}

# repeated CHAR COUNT: CHAR written COUNT times.
repeated() { head -c "$2" /dev/zero | tr '\0' "$1"; }

# write_npy FILE HEADER_DICT ELEMENTS: a version 1.0 .npy with that header and ELEMENTS float32 ones.
write_npy() {
  local file=$1 header=$2 elements=$3
  while (( (10 + ${#header} + 1) % 64 != 0 )); do header+=" "; done
  header+=$'\n'
  { printf '\x93NUMPY\x01\x00'; printf "\\x$(printf %02x $(( ${#header} % 256 )))\\x$(printf %02x $(( ${#header} / 256 )))"
    printf '%s' "$header"; for ((i = 0; i < elements; ++i)); do printf '\x00\x00\x80\x3f'; done; } > "$file"
}

case $case_name in
  eval_long_decimal)  # std::regex overflowed the stack on a 200,000-digit decimal
    { repeated 1 200000; echo; echo "0.$(repeated 5 200000)"; } > "$work/long.txt"
    out=$(timeout 60 "$pesim" eval cast.fixed --set W=8,I=4,O=AP_SAT < "$work/long.txt") || fail "exit status $?"
    [ "$(cut -d' ' -f2- <<<"$out" | tr '\n' ' ')" = "7f 7.9375 08 0.5 " ] || fail "results: $(cut -c1-20 <<<"$out")" ;;
  eval_long_format_name)  # the same in the format name's regex; the message quotes only the name's start
    echo '0 0' > "$work/in.txt"
    expect_refusal "format 'e1111111111.*\\(100003 characters\\)': exponent 1\\.\\.11" \
      "$pesim" eval "add.e$(repeated 1 100000)m2" --set rm=rne < "$work/in.txt" ;;
  eval_huge_width)  # `pesim: stoi`
    expect_refusal "format 'int99999999999': integer width must be in 1\\.\\.62" "$pesim" eval add.int99999999999 </dev/null
    expect_refusal "format 'e99999999999m2': exponent 1\\.\\.11" "$pesim" eval add.e99999999999m2 </dev/null ;;
  npy_hostile_headers)
    write_npy "$work/ok.npy" "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }" 4
    # a 30000 x 30000 shape over 16 bytes of data: refused before anything is allocated (it took 3.5 GB)
    write_npy "$work/huge.npy" "{'descr': '<f4', 'fortran_order': False, 'shape': (30000, 30000), }" 4
    expect_refusal "huge.npy: data ends before the 30000 x 30000 elements .*\\(4 in the file\\)" \
      "$pesim" error fma_fp --npy "$work/huge.npy" "$work/ok.npy"
    write_npy "$work/neg.npy" "{'descr': '<f4', 'fortran_order': False, 'shape': (-2, 2), }" 4  # was read as (2, 2)
    expect_refusal "neg.npy: field 'shape' \\(-2, 2\\): dimension '-2' is not a non-negative integer" \
      "$pesim" error fma_fp --npy "$work/neg.npy" "$work/ok.npy"
    write_npy "$work/wide.npy" "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999999, 2), }" 4
    expect_refusal "wide.npy: field 'shape' .*: dimension 99999999999999999999999 is over 2\\^40" \
      "$pesim" error fma_fp --npy "$work/wide.npy" "$work/ok.npy"
    # a 30,000-character field (std::regex overflowed the stack on it)
    write_npy "$work/longfield.npy" "{'descr': '<f4', 'fortran_order': False, 'shape': (2, $(repeated 7 30000)), }" 4
    expect_refusal "longfield.npy: field 'shape' \\(2, 7777.*\\(30005 characters\\): dimension .* is over 2\\^40" \
      "$pesim" error fma_fp --npy "$work/longfield.npy" "$work/ok.npy"
    write_npy "$work/extra.npy" "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), 'note': '$(repeated x 30000)'}" 4
    timeout 60 "$pesim" error fma_fp --npy "$work/extra.npy" "$work/ok.npy" >/dev/null || fail "a long extra field" ;;
  inputs_not_regular_files)  # /dev/zero read up to 4 GB (a .cfg then exited 0); a directory or empty .cfg gave defaults
    ln -s /dev/zero "$work/zero.cfg"; ln -s /dev/zero "$work/zero.csv"; ln -s /dev/zero "$work/zero.yaml"
    mkdir "$work/dir.cfg"; : > "$work/empty.cfg"
    expect_refusal "zero.cfg: the architecture file is not a regular file" \
      "$pesim" sim --arch "$work/zero.cfg" --workload llama2-7b:decode
    expect_refusal "dir.cfg: the architecture file is not a regular file" \
      "$pesim" sim --arch "$work/dir.cfg" --workload llama2-7b:decode
    expect_refusal "empty.cfg: the architecture file is empty" \
      "$pesim" sim --arch "$work/empty.cfg" --workload llama2-7b:decode
    expect_refusal "zero.csv: the topology file is not a regular file" "$pesim" sim --workload "$work/zero.csv"
    expect_refusal "zero.yaml: the workload file is not a regular file" "$pesim" sim --workload "$work/zero.yaml"
    expect_refusal "zero.yaml: the architecture file is not a regular file" \
      "$pesim" sim --arch "$work/zero.yaml" --workload llama2-7b:decode
    expect_refusal "zero.yaml: the space spec is not a regular file" \
      "$pesim" dse --space "$work/zero.yaml" --db "$work/dse.db"
    [ ! -e "$work/dse.db" ] || fail "a refused space left a store behind" ;;
  duplicate_keys_and_documents)  # were accepted, each format with its own winner; a second YAML document was ignored
    printf 'rows: 8\ncols: 8\nrows: 16\n' > "$work/dup.yaml"
    expect_refusal "dup.yaml:3: key 'rows' given twice \\(first at line 1\\)" \
      "$pesim" sim --arch "$work/dup.yaml" --workload llama2-7b:decode
    printf '{"ops": [{"name": "a", "type": "gemm", "m": 2, "n": 2, "k": 2, "m": 4}]}\n' > "$work/dup.json"
    expect_refusal "dup.json:1: key 'm' given twice" "$pesim" sim --workload "$work/dup.json"
    printf 'rows: 8\n---\nrows: 16\n' > "$work/two.yaml"
    expect_refusal "two.yaml: a second YAML document" "$pesim" sim --arch "$work/two.yaml" --workload llama2-7b:decode
    printf '[general]\nArrayHeight: 8\nArrayHeight: 16\n' > "$work/dup.cfg"
    expect_refusal "dup.cfg:3: ArrayHeight sets rows, already set at .*dup.cfg:2" \
      "$pesim" sim --arch "$work/dup.cfg" --workload llama2-7b:decode
    expect_refusal "--set: key 'rows' given twice in 'rows=8,rows=16'" \
      "$pesim" sim --arch int8 --set rows=8,rows=16 --workload llama2-7b:decode
    # separate --set options: the later one overrides, as documented
    out=$("$pesim" sim --arch int8 --set rows=8 --set rows=16 --workload llama2-7b:decode --format json) || fail "override"
    grep -q '"arch":"rows=16,' <<<"$out" || fail "the later --set did not win: ${out:0:200}"
    { printf 'rows: '; printf '[%.0s' {1..1000}; printf ']%.0s' {1..1000}; echo; } > "$work/deep.yaml"  # "bad file"
    expect_refusal "deep.yaml:1: nested more than [0-9]+ levels deep" \
      "$pesim" sim --arch "$work/deep.yaml" --workload llama2-7b:decode
    printf 'a: &x {p: [1, 2]}\nb: *x\nc: [*x, *x]\n' > "$work/alias.yaml"  # aliases: one node, not an error
    expect_refusal "alias.yaml:1: a: expected a value" "$pesim" sim --arch "$work/alias.yaml" --workload llama2-7b:decode ;;
  non_finite_options)  # NaN passed CLI11's PositiveNumber and Range; an explicit --clock-mhz 0 was taken as unset
    expect_refusal "--scale: 'nan' is not a positive finite number" "$pesim" error --scale nan
    expect_refusal "--clock-mhz: '0' is not a positive finite number" "$pesim" cost mac_int --clock-mhz 0
    expect_refusal "--clock-mhz: 'nan' is not a positive finite number" "$pesim" cost mac_int --clock-mhz nan
    expect_refusal "--activity-factor: 'nan' is not in \\[0, 2\\]" "$pesim" cost mac_int --activity-factor nan
    expect_refusal "--max-loss: 'inf' is not in \\[0, 1\\]" "$pesim" printed run --max-loss inf
    expect_refusal "--no-such-option" "$pesim" sim --workload llama2-7b:decode --no-such-option ;;  # exit 2, not 109
  output_write_failure)  # exited 0 with the results lost
    [ -w /dev/full ] || { echo "no /dev/full here: skipped"; exit 0; }
    for command in "list pes" "sim --workload llama2-7b:decode" "eval add.bf16"; do
      out=$(echo '3f80 3f80' | $pesim $command 2>&1 >/dev/full)
      status=$?
      [ $status -ne 0 ] || fail "$command: exit status 0 with standard output on /dev/full"
      grep -q "writing the results to standard output failed" <<<"$out" || fail "$command: message: $out"
    done ;;
  topology_first_row_typo)  # a header-less topology whose first row had a typo was taken for a header
    printf 'fc1, 1O0, 64, 3, 3, 16, 32, 1,\nfc2, 100, 64, 3, 3, 16, 32, 1,\n' > "$work/typo.csv"
    expect_refusal "typo.csv:1: field 2 \\(IFMAP Height\\): '1O0' is not a positive integer" \
      "$pesim" sim --workload "$work/typo.csv" ;;
  space_unknown_technology)  # ran, every evaluation failed, exit 0 with an empty front
    printf 'arch: int8\nworkload: llama2-7b:decode\ntechnology: tsmc5\nparameters:\n  rows: [8, 16]\n' > "$work/t.yaml"
    expect_refusal "t.yaml:3: unknown technology 'tsmc5' \\(known: ihp_sg13g2" \
      "$pesim" dse --space "$work/t.yaml" --db "$work/t.db"
    [ ! -e "$work/t.db" ] || fail "a refused space left a store behind" ;;
  resume_with_run_settings)  # --resume silently dropped the command line's strategy, seed and budget
    for option in "--strategy grid" "--seed 7" "--budget 5" "--batch 3" "--cost-model trees" "--space x.yaml"; do
      expect_refusal "${option%% *} excludes --resume" "$pesim" dse --resume --db "$work/r.db" $option
    done ;;
  cycle_nonfinite_operands)  # NaN/inf operands: max rel 0 and no count of the outputs left out
    write_npy "$work/a.npy" "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }" 4
    printf '\x00\x00\xc0\x7f' | dd of="$work/a.npy" bs=1 seek=128 conv=notrunc 2>/dev/null  # A[0][0] = NaN
    printf 'Layer, M, N, K,\nfc, 2, 2, 2,\n' > "$work/fc.csv"
    out=$("$pesim" sim --arch fp16 --set pe.in=bf16 --workload "$work/fc.csv" --engine cycle --check full \
      --npy "$work/a.npy" "$work/a.npy" --format json) || fail "exit status: $out"
    # A = B = [[NaN, 1], [1, 1]]: row 0 and column 0 of Y are NaN, Y[1][1] = 2
    grep -q '"nonfinite_outputs":3' <<<"$out" || fail "three outputs are NaN: $out" ;;
  counts_past_64_bits)  # 0 MACs and negative traffic, stalls and areas, exit 0
    printf 'Layer, M, N, K,\nbig, 16777216, 16777216, 16777216,\n' > "$work/big.csv"
    expect_refusal "big.csv:2: op big .* could exceed 2\\^60" "$pesim" sim --workload "$work/big.csv"
    expect_refusal "--batch 1048576 x --seq 16777216 is over 2\\^24 tokens" \
      "$pesim" sim --workload llama2-7b:prefill --batch 1048576 --seq 16777216
    printf 'Layer, M, N, K,\nsmall, 64, 64, 64,\n' > "$work/small.csv"
    printf '{"ops": [{"name": "g", "type": "gemm", "m": 16777216, "n": 16777216, "k": 4096, "repeat": 1000000}]}\n' \
      > "$work/repeat.json"
    expect_refusal "op g .* could exceed 2\\^60" "$pesim" sim --workload "$work/repeat.json"
    expect_refusal "ifmap_sram_bytes': 1152921504606846976 is outside 2\\.\\.1099511627776" \
      "$pesim" cost --arch int8 --set ifmap_sram_bytes=1152921504606846976
    # what does fit is counted exactly: 64^3 MACs
    out=$("$pesim" sim --workload "$work/small.csv" --format json) || fail "small: $out"
    grep -q '"macs":262144,' <<<"$out" || fail "small GEMM: ${out:0:300}" ;;
  space_hostile_ranges)  # a range ending at INT64_MAX looped forever (4.7 GB, then bad_alloc)
    printf 'arch: int8\nworkload: llama2-7b:decode\nparameters:\n  rows: {min: 9223372036854775800, max: 9223372036854775807}\nobjectives:\n  - minimize: latency_cycles\n' \
      > "$work/wide.yaml"
    expect_refusal "wide.yaml:4: .*9223372036854775800 is outside 1\\.\\.4096" \
      "$pesim" dse --space "$work/wide.yaml" --db "$work/wide.db"
    printf 'arch: int8\nworkload: llama2-7b:decode\nparameters:\n  rows: [8, 16]\n' > "$work/no_goal.yaml"
    expect_refusal "no_goal.yaml: objectives: expected a list" "$pesim" dse --space "$work/no_goal.yaml" --db "$work/n.db"
    [ ! -e "$work/wide.db" ] && [ ! -e "$work/n.db" ] || fail "a refused space left a store behind" ;;
  cycle_engine_huge_array)  # --max-macs bounded MACs only: 64^3 MACs on a 4096 x 4096 array ran for minutes
    printf 'Layer, M, N, K,\ng, 64, 64, 64,\n' > "$work/g.csv"
    expect_refusal "layer g would clock the 4096 x 4096 array's PEs for [0-9]+ cycles.*\\(--max-macs\\)" \
      "$pesim" sim --arch int8 --set rows=4096,cols=4096 --workload "$work/g.csv" --engine cycle ;;
  stores_refused_before_writing)
    # a run refused by --max-macs left an empty new.db behind
    printf 'Layer, M, N, K,\ng, 1024, 1024, 1024,\n' > "$work/g.csv"
    expect_refusal "over the limit of 268435456 \\(--max-macs\\)" \
      "$pesim" sim --workload "$work/g.csv" --engine cycle --db "$work/new.db"
    [ ! -e "$work/new.db" ] || fail "a refused run left new.db behind"
    expect_refusal "no/such/dir/x.db: cannot create the database" \
      "$pesim" sim --workload llama2-7b:decode --db "$work/no/such/dir/x.db"
    # another program's SQLite file: pesim added its seven tables to it
    sqlite3 "$work/other.db" "CREATE TABLE t (x); INSERT INTO t VALUES (1);"
    expect_refusal "other.db: an SQLite database that is not a pesim store \\(its tables: t\\)" \
      "$pesim" sim --workload llama2-7b:decode --db "$work/other.db"
    expect_refusal "other.db: an SQLite database that is not a pesim store" \
      "$pesim" report --db "$work/other.db"
    [ "$(sqlite3 "$work/other.db" .tables)" = t ] || fail "tables added to other.db: $(sqlite3 "$work/other.db" .tables)"
    # a store with a zeroed page: pesim wrote into it and exited 0
    "$pesim" sim --workload llama2-7b:decode --db "$work/store.db" >/dev/null || fail "first run"
    cp "$work/store.db" "$work/damaged.db"
    dd if=/dev/zero of="$work/damaged.db" bs=4096 seek=2 count=1 conv=notrunc 2>/dev/null
    before=$(md5sum < "$work/damaged.db")
    expect_refusal "damaged.db: the database is damaged \\(SQLite quick_check: " \
      "$pesim" sim --workload llama2-7b:decode --db "$work/damaged.db"
    [ "$(md5sum < "$work/damaged.db")" = "$before" ] || fail "pesim wrote into the damaged store" ;;
  printed_out_unwritable)  # failed only after 35-40 s of training and synthesis
    touch "$work/a_file"
    expect_refusal "--out .*a_file/results: cannot write the results there \\(.*a_file is not a writable directory\\)" \
      "$pesim" printed run Breast_Cancer --out "$work/a_file/results" ;;
  option_bounds_short)  # CLI11's NonNegativeNumber printed a 309-digit bound
    for command in "sim --workload llama2-7b:decode --threads -1" "sim --workload llama2-7b:decode --max-macs 0" \
      "dse --budget 0" "report x.db --run -1"; do
      out=$($pesim $command 2>&1); status=$?
      [ $status -eq 2 ] || fail "$command: exit status $status"
      [ ${#out} -lt 200 ] || fail "$command: a ${#out}-character message: ${out:0:200}"
    done ;;
  *)
    fail "unknown case $case_name" ;;
esac

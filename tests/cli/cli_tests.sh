#!/usr/bin/env bash
# End-to-end checks of the pesim command line. Usage: cli_tests.sh PESIM CASE
# Expected outputs are worked by hand (IEEE/OCP encodings, HLS examples), never captured from pesim.
set -uo pipefail
pesim=$1
case_name=$2
here=$(cd "$(dirname "$0")" && pwd)

fail() { echo "FAIL: $*" >&2; exit 1; }

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
  *) fail "unknown case $case_name" ;;
esac

# Sourced by the result scripts: field NAME JSON prints the value of a top-level scalar field of pesim's one-line
# JSON output (pesim writes keys sorted and without spaces).
field() { grep -o "\"$1\":[^,}]*" <<<"$2" | head -1 | cut -d: -f2 | tr -d '"'; }

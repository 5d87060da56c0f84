#!/usr/bin/env bash
# Fails, naming each file and line, if a C++ source is not as clang-format (.clang-format) writes it.
# Fix with: git ls-files '*.cpp' '*.h' | xargs clang-format -i
set -euo pipefail
cd "$(dirname "$0")/.."
git ls-files -z '*.cpp' '*.h' | xargs -0 clang-format --dry-run -Werror
echo "check_format: $(git ls-files '*.cpp' '*.h' | wc -l) files formatted"

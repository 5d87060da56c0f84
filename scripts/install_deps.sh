#!/usr/bin/env bash
# Installs every build, test and run dependency of pesim from Debian 12 packages.
# Idempotent and non-interactive; run as root. Nothing is downloaded at build or run time.
set -euo pipefail

packages=(
  build-essential g++ cmake make pkg-config git clang-format
  libsystemc-dev verilator yosys
  libboost-graph-dev libsqlite3-dev sqlite3 libeigen3-dev
  catch2 libmpfr-dev libgmp-dev
  libcli11-dev nlohmann-json3-dev libyaml-cpp-dev libspdlog-dev libfmt-dev
  libopenmpi-dev openmpi-bin libbenchmark-dev
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "pesim dependencies: all ${#packages[@]} packages already installed"
  exit 0
fi

echo "pesim dependencies: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"

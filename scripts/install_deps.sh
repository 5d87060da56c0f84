#!/usr/bin/env bash
# Installs every build, test and run dependency of pesim from Debian 12 packages.
# Idempotent and non-interactive; run as root. Nothing is downloaded at build or run time.
set -euo pipefail

packages=(
  build-essential g++ cmake make ninja-build ccache pkg-config git clang-format
  libsystemc-dev verilator yosys
  libboost-graph-dev libsqlite3-dev sqlite3 libeigen3-dev
  catch2 libmpfr-dev libgmp-dev
  libcli11-dev nlohmann-json3-dev libyaml-cpp-dev libspdlog-dev libfmt-dev
  libopenmpi-dev openmpi-bin libbenchmark-dev
  jq  # the results scripts read pesim's JSON with it
)

# OSU 0.18 um standard cells (technology osu018): Debian's qflow-tech-osu018 depends on all of qflow, so its files
# are extracted without installing it, where models/cost/technology.cpp looks for them.
install_osu018() {
  local dest=/usr/local/share/qflow/tech/osu018
  [ -f /usr/share/qflow/tech/osu018/osu018_stdcells.lib ] || [ -f "$dest/osu018_stdcells.lib" ] && return 0
  local tmp
  tmp=$(mktemp -d)
  chmod 755 "$tmp"  # apt-get download runs as _apt
  (cd "$tmp" && apt-get download -q qflow-tech-osu018 && dpkg -x qflow-tech-osu018_*.deb root)
  mkdir -p "$dest"
  cp "$tmp"/root/usr/share/qflow/tech/osu018/* "$dest"/
  rm -rf "$tmp"
  echo "pesim dependencies: OSU 0.18 um cells extracted to $dest"
}

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "pesim dependencies: all ${#packages[@]} packages already installed"
  install_osu018
  exit 0
fi

echo "pesim dependencies: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
install_osu018

#!/usr/bin/env bash
# setup.sh - installs the Debian packages pressrun needs (only the missing
# ones, so it is safe to run again) and configures and builds it with CMake.
#   scripts/setup.sh [BUILD_DIR] [extra cmake options...]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
shift || true

packages=(
  build-essential cmake pkg-config python3
  libcairo2-dev libpango1.0-dev libfontconfig-dev libyaml-dev
  libcmark-gfm-dev libcmark-gfm-extensions-dev libhyphen-dev
  hyphen-en-us hyphen-es hyphen-fr hyphen-de
  libzip-dev libqpdf-dev libjpeg-dev libpoppler-glib-dev g++
  poppler-utils qpdf libgs-common epubcheck unzip wamerican zbar-tools pandoc
  fonts-dejavu-core
  clang libclang-rt-14-dev zlib1g-dev
  groff-base
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
cmake --build "$build" -j"$(nproc)"

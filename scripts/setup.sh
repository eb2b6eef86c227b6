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
  libcairo2-dev libpango1.0-dev libharfbuzz-dev libfontconfig-dev libyaml-dev
  libcmark-gfm-dev libcmark-gfm-extensions-dev libhyphen-dev
  hyphen-en-us hyphen-es hyphen-fr hyphen-de
  libzip-dev libqpdf-dev libjpeg-dev libpoppler-glib-dev g++ libjemalloc-dev
  poppler-utils qpdf libgs-common epubcheck unzip wamerican zbar-tools pandoc
  fonts-dejavu-core
  clang libclang-rt-14-dev zlib1g-dev libdeflate-dev
  groff-base
)
# pictures: TIFF, WebP and ICC profiles; ImageMagick draws and renders
# tests/images' references
packages+=(libtiff-dev libwebp-dev liblcms2-dev imagemagick)
scripts/apt-install.sh "${packages[@]}"

cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
cmake --build "$build" -j"$(nproc)"

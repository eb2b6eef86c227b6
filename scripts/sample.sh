#!/usr/bin/env bash
# sample.sh - installs what is missing, builds pressrun and compiles the
# sample issue into out/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh build
./build/pressrun build issues/2024-04-labor-notes -o out

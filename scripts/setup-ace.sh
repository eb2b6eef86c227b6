#!/usr/bin/env bash
# setup-ace.sh - installs DAISY Ace (the EPUB accessibility checker the
# tests run) into tools/ace/node_modules, with Debian's Chromium for it to
# drive, only what is missing (safe to run again). Ace's Electron runner
# would download a browser from GitHub: install scripts are skipped and
# its Puppeteer runner uses /usr/bin/chromium instead.
set -euo pipefail
cd "$(dirname "$0")/.."
need=(chromium)
command -v npm >/dev/null || need+=(npm)
scripts/apt-install.sh "${need[@]}"
if [ ! -x tools/ace/node_modules/.bin/ace-puppeteer ]; then
  echo "setup-ace: installing @daisy/ace into tools/ace" >&2
  (cd tools/ace && PUPPETEER_SKIP_DOWNLOAD=1 npm install --no-audit --no-fund --ignore-scripts --loglevel=error >&2)
fi

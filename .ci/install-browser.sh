#!/usr/bin/env bash
# Installs headless Chromium and its WebDriver from Debian packages, for the
# emulator's browser test (crates/feishu-emulator/tests/browser.rs).
set -euo pipefail
if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends chromium chromium-driver

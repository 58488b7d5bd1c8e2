#!/usr/bin/env bash
# Installs redis-server from the Debian package, for the feishu-redis tests
# (each test starts and stops its own server on a loopback port).
set -euo pipefail
command -v redis-server >/dev/null 2>&1 && exit 0
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends redis-server

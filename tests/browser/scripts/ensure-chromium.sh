#!/usr/bin/env bash
# Makes sure Debian's chromium and chromium-driver are installed for the browser tests: installs
# them with apt-get when they are missing and this runs as root (CI on a fresh Debian machine),
# otherwise fails saying what to install.
set -euo pipefail
if [ -x /usr/bin/chromedriver ] && [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get > /dev/null; then
  echo "browser tests: installing chromium and chromium-driver with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q chromium chromium-driver
  exit 0
fi
echo "browser tests: /usr/bin/chromium and /usr/bin/chromedriver are missing." >&2
echo "Install them (Debian: sudo apt-get install chromium chromium-driver), or skip these tests" >&2
echo "with -pl '!tests/browser' or -DskipTests." >&2
exit 1

#!/usr/bin/env bash
# Installs the Debian packages the product needs, only those that are missing.
#   scripts/system-packages.sh run   -> what WeasyPrint needs to render PDFs
#   scripts/system-packages.sh test  -> that, plus Chromium (browser tests) and poppler-utils
set -euo pipefail
want=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation)
if [ "${1:-run}" = "test" ]; then
  want+=(chromium poppler-utils)
fi
missing=()
for pkg in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "Installing Debian packages: ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

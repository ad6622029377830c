#!/usr/bin/env bash
# Installs the Debian packages mcpo builds against, if any is missing (run as root).
# With --test, also those only the test suite uses (poppler-utils renders PDF figures to check
# them; chromium drives the live page in the browser tests).
set -euo pipefail
needed=(libopenblas-dev libsqlite3-dev libbox2d-dev libcairo2-dev fonts-dejavu-core)
if [ "${1:-}" = "--test" ]; then needed+=(poppler-utils chromium); fi
missing=()
for p in "${needed[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

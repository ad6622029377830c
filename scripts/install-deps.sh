#!/usr/bin/env bash
# Installs the Debian packages mcpo builds against, if any is missing (run as root).
set -euo pipefail
needed=(libopenblas-dev libsqlite3-dev libbox2d-dev)
missing=()
for p in "${needed[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

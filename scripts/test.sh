#!/usr/bin/env bash
# The README's second command: the whole test suite, in release mode (debug Swift is too slow
# for the numerical tests).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build -c release --product mcpo-sweep
swift build -c release --product mcpo-report
swift test -c release

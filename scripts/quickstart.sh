#!/usr/bin/env bash
# The README's first command: install what is missing, build in release, run the quick sweep
# and print its table. Re-running it resumes the sweep instead of starting over.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build -c release 2>&1 | tail -n 1
db="${MCPO_DB:-mcpo.sqlite}"
.build/release/mcpo-sweep run sweeps/quick.yaml --db "$db"
.build/release/mcpo-report table1 --db "$db" --sweep quick

#!/usr/bin/env bash
# The README's second command: the whole test suite, in release mode (debug Swift is too slow
# for the numerical tests), under the BLAS kernel the executables choose (so the test process,
# the workers it starts and a user's runs agree), then the numerics and learning tests a second
# time under another BLAS kernel, so that no test can pass on one kernel only.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --test
# One release build of the tools and the tests together (testable, as `swift test -c release`
# would build them); both passes below reuse it.
swift build -c release --build-tests -Xswiftc -enable-testing

# The PostgreSQL store's schema on a throw-away server (issue 15; a few seconds). The suite's
# PostgreSQL cases start their own throw-away server (Tests/ExperimentStoreTests/TestPostgres.swift).
scripts/postgres-schema-check.sh

first=$(scripts/blas-kernel.sh)
echo "test suite under BLAS kernel $(.build/release/mcpo-bench kernel --verbose)"
OPENBLAS_CORETYPE=$first MCPO_EXPECTED_BLAS_KERNEL=$first swift test -c release --skip-build

# The cluster test (issue 15): a real PostgreSQL and a three-node Slurm cluster on loopback, a
# sweep through `mcpo-sweep slurm`, with a node set down and a worker killed (about a minute).
scripts/cluster-test.sh

if second=$(scripts/blas-kernel.sh --other "$first"); then
  echo "numerics and learning tests again under BLAS kernel $second (the first pass ran $first)"
  OPENBLAS_CORETYPE=$second MCPO_EXPECTED_BLAS_KERNEL=$second \
    swift test -c release --skip-build --filter '^(LinearAlgebraTests|NetworksTests|TrainerTests)\.'
else
  echo "second kernel pass not run: no other OpenBLAS kernel is known for $(uname -m) (the first pass ran $first)"
fi

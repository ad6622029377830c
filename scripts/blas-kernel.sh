#!/usr/bin/env bash
# blas-kernel.sh             prints the OpenBLAS kernel mcpo's executables run here: the user's
#                            OPENBLAS_CORETYPE, else the CPU's best (they restart themselves with
#                            it when OpenBLAS picks a weaker one), as `mcpo-bench kernel` reports
# blas-kernel.sh --other K   prints another kernel this CPU runs (x86-64 only; exit 1 elsewhere):
#                            Prescott (SSE3, every x86-64 CPU) unless K is Prescott, else the
#                            CPU's best: SkylakeX (AVX-512), Haswell (AVX2) or Core2.
set -euo pipefail
if [ "${1:-}" = --other ]; then
  [ "$(uname -m)" = x86_64 ] || exit 1
  if [ "${2:-}" != Prescott ]; then echo Prescott
  elif grep -qw avx512f /proc/cpuinfo; then echo SkylakeX
  elif grep -qw avx2 /proc/cpuinfo; then echo Haswell
  else echo Core2
  fi
else
  cd "$(dirname "$0")/.."
  .build/release/mcpo-bench kernel
fi

#!/usr/bin/env bash
# blas-kernel.sh BINARY      prints the OpenBLAS kernel BINARY runs here (honouring OPENBLAS_CORETYPE)
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
  kernel=$(OPENBLAS_VERBOSE=2 "$1" --help 2>&1 >/dev/null | sed -n 's/^Core: //p' | head -n 1)
  echo "${kernel:-unknown}"
fi

#!/usr/bin/env bash
# Installs the Debian packages mcpo builds against, if any is missing (run as root).
# With --test, also those only the test suite uses: poppler-utils renders PDF figures to check
# them, chromium drives the live page in the browser tests, and pdflatex (texlive-latex-base,
# with booktabs from texlive-latex-recommended) compiles the LaTeX tables, postgresql's server
# checks the PostgreSQL store's schema (scripts/postgres-schema-check.sh), and slurm-wlm with munge
# runs the throw-away Slurm cluster of the cluster tests (scripts/cluster/slurm.sh).
set -euo pipefail
install() {  # install [apt options] PACKAGE...: those of the packages not installed yet
  local options=() missing=()
  while [ $# -gt 0 ] && [ "${1#-}" != "$1" ]; do options+=("$1"); shift; done
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "installing: ${missing[*]}" >&2
    [ -n "${updated:-}" ] || { apt-get update -qq; updated=1; }
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${options[@]}" "${missing[@]}" >/dev/null
  fi
}
install libopenblas-dev libsqlite3-dev libbox2d-dev libcairo2-dev fonts-dejavu-core
if [ "${1:-}" = "--test" ]; then
  install poppler-utils chromium postgresql slurm-wlm munge
  install --no-install-recommends texlive-latex-base texlive-latex-recommended
fi

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

# MuJoCo (issue 16), not in Debian at the version the fidelity fixtures were recorded with:
# - the C library and headers of MuJoCo 4.0.0 (Apache-2.0) from PyPI's mujoco-core wheel, into
#   /usr/local (lib, include/mujoco, lib/pkgconfig/mujoco.pc), the library the build links;
# - the task models of gymnasium 1.4.0 (MIT; gymnasium/envs/mujoco/assets/*.xml) from its wheel,
#   into $MCPO_MUJOCO_ASSETS (default /var/cache/mcpo/gymnasium-1.4.0/mujoco), which the
#   environments read. Neither is committed; each is fetched only when missing.
MUJOCO_VERSION=4.0.0 GYMNASIUM_VERSION=1.4.0
assets="${MCPO_MUJOCO_ASSETS:-/var/cache/mcpo/gymnasium-$GYMNASIUM_VERSION/mujoco}"
unpack() {  # unpack REQUIREMENT DIR: pip downloads the wheel (no dependencies) and unzips it into DIR
  local tmp; tmp="$(mktemp -d)"
  python3 -m pip download -q --no-deps --disable-pip-version-check "$1" -d "$tmp" >&2
  python3 -m zipfile -e "$tmp"/*.whl "$2"
  rm -rf "$tmp"
}
if [ ! -e "/usr/local/lib/libmujoco.so.$MUJOCO_VERSION" ] || [ ! -e /usr/local/lib/pkgconfig/mujoco.pc ]; then
  echo "installing: MuJoCo $MUJOCO_VERSION (PyPI mujoco-core) into /usr/local" >&2
  wheel="$(mktemp -d)"
  unpack "mujoco-core==$MUJOCO_VERSION" "$wheel"
  command install -D -m 644 "$wheel/mujoco/libmujoco.so.$MUJOCO_VERSION" "/usr/local/lib/libmujoco.so.$MUJOCO_VERSION"
  ln -sf "libmujoco.so.$MUJOCO_VERSION" /usr/local/lib/libmujoco.so
  rm -rf /usr/local/include/mujoco && mkdir -p /usr/local/include
  cp -r "$wheel/mujoco/include/mujoco" /usr/local/include/mujoco
  mkdir -p /usr/local/lib/pkgconfig
  printf '%s\n' "Name: mujoco" "Description: MuJoCo physics (PyPI mujoco-core wheel)" "Version: $MUJOCO_VERSION" \
    "Cflags: -I/usr/local/include" "Libs: -L/usr/local/lib -lmujoco" > /usr/local/lib/pkgconfig/mujoco.pc
  ldconfig
  rm -rf "$wheel"
fi
if [ ! -e "$assets/half_cheetah.xml" ]; then
  echo "installing: gymnasium $GYMNASIUM_VERSION's MuJoCo models into $assets" >&2
  wheel="$(mktemp -d)"
  unpack "gymnasium==$GYMNASIUM_VERSION" "$wheel"
  mkdir -p "$assets"
  cp "$wheel"/gymnasium/envs/mujoco/assets/*.xml "$assets"/
  rm -rf "$wheel"
fi

#!/usr/bin/env bash
# Installs the Debian packages the tests need (the list is .ci/apt-packages, one place), skipping those
# already installed and saying what it installs. `npm test` runs it first (pretest) and so does .ci/run,
# so a fresh machine needs only `npm ci && npm test`. apt-get update runs only when apt has no package
# lists yet or cannot find a package. Not root and no password-less sudo: it says what to run and
# carries on; the suites that need a missing package skip or fail saying why.
set -uo pipefail
cd "$(dirname "$0")/.."

packages=$(sed -e 's/#.*//' .ci/apt-packages | tr -s '[:space:]' ' ')

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
  echo "system packages: not a Debian-like system; install the equivalents of:$packages"
  exit 0
fi

missing=()
for p in $packages; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages: all installed ($(echo $packages))"
  exit 0
fi

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo=(sudo)
  else
    echo "system packages: missing ${missing[*]}; install them as root:"
    echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}"
    exit 0
  fi
fi

echo "system packages: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
install() { "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null; }
# A fresh image has no package lists at all: fetch them first. Otherwise try with what is there,
# and fetch only if that fails (a list too old to know a package, or a moved mirror file).
if ! compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null; then
  "${sudo[@]}" apt-get update -qq || { echo "system packages: apt-get update failed"; exit 1; }
  install || { echo "system packages: apt-get install ${missing[*]} failed"; exit 1; }
elif ! install; then
  echo "system packages: retrying after apt-get update"
  "${sudo[@]}" apt-get update -qq && install || { echo "system packages: apt-get install ${missing[*]} failed"; exit 1; }
fi
echo "system packages: installed ${missing[*]}"

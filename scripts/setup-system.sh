#!/usr/bin/env bash
# Installs the Debian packages named in the given lists that are missing.
#   scripts/setup-system.sh LIST...     (one package per line, '#' starts a comment)
# As root it runs apt-get itself; otherwise it prints the exact command and fails,
# so nobody runs the tests on a machine that cannot pass them.
set -euo pipefail
[ "$#" -gt 0 ] || { echo "usage: $0 PACKAGE_LIST..." >&2; exit 2; }
for list in "$@"; do
  [ -r "$list" ] || { echo "setup: $list: no such package list" >&2; exit 2; }
done
here=$(cd "$(dirname "$0")" && pwd)
mapfile -t wanted < <("$here/../deploy/package-list" "$@")
missing=()
for pkg in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null; then
  echo "setup: missing system packages (${missing[*]}) and no apt-get; install them by hand" >&2
  exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "setup: missing system packages. Run this, then try again:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"

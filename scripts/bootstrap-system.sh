#!/usr/bin/env bash
# Installs the Debian/Ubuntu libraries the kiosk loads at run time, when missing.
# pyzbar loads libzbar.so.0; PySide6 needs the Qt runtime libraries, even offscreen;
# xvfb and xauth serve the screenshot and GUI test runs; mosquitto is the site bus's broker
# (docs/site.md), which the tests and `make demo-site` start on loopback.
set -euo pipefail

packages=(libzbar0 libgl1 libegl1 libxkbcommon0 libglib2.0-0 libfreetype6 libfontconfig1
          libdbus-1-3 fonts-dejavu-core xvfb xauth libxkbcommon-x11-0 libxcb-cursor0
          libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-randr0 libxcb-render-util0
          libxcb-image0 libxcb-xkb1 mosquitto)

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "bootstrap: no dpkg/apt on this system; install these yourself: ${packages[*]}" >&2
  exit 0
fi

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "bootstrap: installing system packages: ${missing[*]}"
if [[ $(id -u) -eq 0 ]]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo)
else
  echo "bootstrap: not root and no sudo; ask an administrator to run: apt-get install ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"

#!/usr/bin/env bash
# Installs a built kiosk (make dist) on a Debian/Ubuntu device:
#   /opt/cds-kiosk      the program (read-only)
#   /etc/cds-kiosk      kiosk.toml (kept if present)
#   /var/lib/cds-kiosk  data: trust store, journal, keys, settings saved on the screen
#                       (settings.toml, over kiosk.toml); owner kiosk, mode 0700
# It asks for the technician PIN (there is none by default, and the screen never chooses one).
# Usage: sudo packaging/linux/install.sh [--gui] [dist/kiosk]
set -euo pipefail
gui=0
if [[ ${1:-} == --gui ]]; then gui=1; shift; fi
src=${1:-dist/kiosk}
here=$(cd "$(dirname "$0")" && pwd)
[[ $(id -u) -eq 0 ]] || { echo "run as root (sudo)" >&2; exit 1; }
[[ -x $src/kiosk ]] || { echo "no built kiosk at $src: run make dist first" >&2; exit 1; }

packages=(libzbar0 libgl1 libegl1 libxkbcommon0 libfontconfig1 libdbus-1-3)
(( gui )) && packages+=(cage xwayland)
apt-get install -y --no-install-recommends "${packages[@]}"

id kiosk >/dev/null 2>&1 || useradd --system --create-home --home-dir /var/lib/cds-kiosk-home \
  --shell /usr/sbin/nologin --groups video,dialout kiosk

rm -rf /opt/cds-kiosk.new
cp -a "$src" /opt/cds-kiosk.new
mkdir -p /opt/cds-kiosk.new/docs
cp -a "$here/../../docs/." /opt/cds-kiosk.new/docs/ 2>/dev/null || true
rm -rf /opt/cds-kiosk.old
[[ -d /opt/cds-kiosk ]] && mv /opt/cds-kiosk /opt/cds-kiosk.old
mv /opt/cds-kiosk.new /opt/cds-kiosk
chown -R root:root /opt/cds-kiosk

install -d -m 0755 /etc/cds-kiosk
# Read by the kiosk's user only (it may name a gate URL or a relay); edited as root.
[[ -f /etc/cds-kiosk/kiosk.toml ]] || install -m 0640 -g kiosk "$here/../../config/kiosk.toml" /etc/cds-kiosk/kiosk.toml
/opt/cds-kiosk/kiosk config check /etc/cds-kiosk/kiosk.toml
install -d -m 0700 -o kiosk -g kiosk /var/lib/cds-kiosk

# `kiosk ...` for the technician: the installed program, as the kiosk user, with the device's
# config and data (files made by a root shell in the 0700 data dir would lock the service out).
cat > /usr/local/bin/kiosk <<'WRAPPER'
#!/bin/sh
exec runuser -u kiosk -- /opt/cds-kiosk/kiosk --config /etc/cds-kiosk/kiosk.toml \
  --data-dir /var/lib/cds-kiosk "$@"
WRAPPER
chmod 0755 /usr/local/bin/kiosk

# The technician PIN, before the screen starts: the first person at ⚙ must never choose it.
if [[ ! -f /var/lib/cds-kiosk/technician/pin.json ]]; then
  if [[ -t 0 ]]; then
    echo "Choose the technician PIN (6 to 12 digits; the screen's ⚙ door asks for it):"
    /usr/local/bin/kiosk technician set-pin \
      || echo "No PIN set: run sudo kiosk technician set-pin before using ⚙." >&2
  else
    echo "No technician PIN yet: set one with: sudo kiosk technician set-pin" >&2
    echo "(until then, only a technician badge opens the technician pages)" >&2
  fi
fi

install -m 0644 "$here/70-kiosk-camera.rules" /etc/udev/rules.d/70-kiosk-camera.rules
udevadm control --reload-rules || true

install -m 0644 "$here/cds-kiosk.service" "$here/cds-kiosk-gui.service" /etc/systemd/system/
systemctl daemon-reload
if (( gui )); then
  systemctl disable --now cds-kiosk.service 2>/dev/null || true
  systemctl enable --now cds-kiosk-gui.service
else
  systemctl disable --now cds-kiosk-gui.service 2>/dev/null || true
  systemctl enable --now cds-kiosk.service
fi
echo "Installed. Enrol it: sudo kiosk enroll --portal URL --code CODE; then: sudo kiosk selftest"

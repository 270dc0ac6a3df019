#!/usr/bin/env bash
# `make run`: the reference portal on loopback (demo keys), this kiosk enrolled with it, and the
# kiosk's window on the camera, or on the built-in demo codes when there is no camera.
# The portal's and the kiosk's data stay in .demo/. If the portal cannot start, the window
# still opens, offline, on the built-in demo lists.
set -euo pipefail

PY=${PY:-.venv/bin/python}
DEMO_DIR=${DEMO_DIR:-.demo}
PORT=${PORTAL_PORT:-8470}
PORTAL_DIR="$DEMO_DIR/portal"
KIOSK_DIR="$DEMO_DIR/kiosk-data"
URL="http://127.0.0.1:$PORT"
mkdir -p "$DEMO_DIR"
# A fresh portal knows no kiosk: forget the demo kiosk's enrolment (and its demo journal) too.
[[ -d "$PORTAL_DIR" ]] || rm -rf "$KIOSK_DIR"

headless=0
if [[ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]]; then
  # No screen to show a window on: show the same flow in the terminal instead.
  headless=1
else
  unset QT_QPA_PLATFORM
fi

"$PY" -m devportal serve --host 127.0.0.1 --port "$PORT" --data "$PORTAL_DIR" --seed demo \
  >"$DEMO_DIR/portal.log" 2>&1 &
portal=$!
trap 'kill "$portal" 2>/dev/null || true; wait "$portal" 2>/dev/null || true' EXIT

up=0
for _ in $(seq 1 50); do
  if "$PY" -c "import urllib.request,sys; urllib.request.urlopen(sys.argv[1], timeout=1)" "$URL/api/v1/" 2>/dev/null \
     || grep -q "Reference portal at" "$DEMO_DIR/portal.log"; then up=1; break; fi
  kill -0 "$portal" 2>/dev/null || break
  sleep 0.2
done

if [[ $up == 1 && ! -f "$KIOSK_DIR/portal/device.json" ]]; then
  code=$("$PY" -m devportal admin --data "$PORTAL_DIR" code --plain)
  # Its advice to run `kiosk sync` is left out: this script syncs right after.
  "$PY" -m kiosk.cli.main --data-dir "$KIOSK_DIR" enroll --portal "$URL" --code "$code" \
    --yes --name "Cổng demo" | sed '/^Run `kiosk sync`/d' || up=0
fi
if [[ $up == 1 ]]; then
  echo "run: reference portal at $URL (log: $DEMO_DIR/portal.log); kiosk data in $KIOSK_DIR"
  # The lists before the first scan, so no demo code meets an empty trust store.
  if "$PY" -m kiosk.cli.main --data-dir "$KIOSK_DIR" sync --quiet >/dev/null; then
    echo "run: trust list and revocation list fetched from the portal"
  fi
else
  echo "run: the reference portal did not start (see $DEMO_DIR/portal.log): running offline" >&2
fi

if [[ $headless == 1 ]]; then
  echo "run: no display, so the kiosk runs headless on the demo codes (start Xvfb and set"
  echo "     DISPLAY to see the window). One line per scan, each journaled before it is printed:"
  "$PY" -m kiosk.cli.main --data-dir "$KIOSK_DIR" run --headless --source demo \
    --max-events 6 --duration 60 "$@" \
    | "$PY" scripts/show_events.py
  if [[ $up == 1 ]]; then
    echo
    echo "run: one more sync round (the kiosk's own sync loop sent most events while it ran):"
    "$PY" -m kiosk.cli.main --data-dir "$KIOSK_DIR" sync --quiet | sed 's/^/  /'
    echo
    echo "run: what the portal now holds:"
    "$PY" -m devportal admin --data "$PORTAL_DIR" show | sed 's/^/  /'
  fi
  exit 0
fi
# The demo's technician PIN, set the way an install sets one: the screen never chooses it.
if [[ ! -f "$KIOSK_DIR/technician/pin.json" ]]; then
  printf '246810\n246810\n' | "$PY" -m kiosk.cli.main --data-dir "$KIOSK_DIR" technician set-pin >/dev/null
fi
echo "run: technician pages: ⚙ or Ctrl+Alt+T, PIN 246810 (this demo's; a device's is set at install)"
"$PY" -m kiosk.ui --windowed --data-dir "$KIOSK_DIR" "$@"

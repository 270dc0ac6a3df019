#!/usr/bin/env bash
# `make demo-site`: a Mosquitto broker, the reference portal, and two headless lanes of one site
# (an entry lane and an exit lane) on the demo codes, all on loopback; prints the site's shared
# occupancy, as each lane holds it, whenever it changes. Data in .demo/site/.
set -euo pipefail

PY=${PY:-.venv/bin/python}
DIR=${DEMO_DIR:-.demo}/site
PORT=${PORTAL_PORT:-8471}
URL="http://127.0.0.1:$PORT"
SITE=demo-site
DURATION=${DURATION:-40}
rm -rf "$DIR"; mkdir -p "$DIR"

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

BROKER_PORT=$("$PY" -c 'from devportal.broker import free_port; print(free_port())')
"$PY" -c 'import sys, time
from pathlib import Path
from devportal.broker import Broker
b = Broker(Path(sys.argv[1]), int(sys.argv[2])); b.start(); print("broker up", flush=True)
try:
    while True: time.sleep(1)
finally:
    b.stop()' "$DIR/broker" "$BROKER_PORT" >"$DIR/broker.out" 2>&1 &
pids+=($!)
"$PY" -m devportal serve --host 127.0.0.1 --port "$PORT" --data "$DIR/portal" --seed demo \
  >"$DIR/portal.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do
  grep -q "broker up" "$DIR/broker.out" 2>/dev/null && grep -q "Reference portal at" "$DIR/portal.log" && break
  sleep 0.1
done
echo "demo-site: broker mqtt://127.0.0.1:$BROKER_PORT, reference portal $URL (data: $DIR)"

for lane in entry exit; do
  cat >"$DIR/$lane.toml" <<TOML
[kiosk]
name = "Lane $lane"
[journal]
gate_direction = "$lane"
antipassback = "deny"
[site]
broker_url = "mqtt://127.0.0.1:$BROKER_PORT"
TOML
  code=$("$PY" -m devportal admin --data "$DIR/portal" code --plain --site "$SITE")
  "$PY" -m kiosk.cli.main --config "$DIR/$lane.toml" --data-dir "$DIR/$lane" enroll \
    --portal "$URL" --code "$code" --yes --name "Lane $lane" >/dev/null
done
# Both lanes enrolled: each fetches the lists and the site roster naming both.
for lane in entry exit; do
  "$PY" -m kiosk.cli.main --config "$DIR/$lane.toml" --data-dir "$DIR/$lane" sync --quiet >/dev/null
done
echo "demo-site: two lanes of site '$SITE' enrolled, each holding the site secret and the roster"

echo "demo-site: the site's people inside, as each lane holds it, whenever it changes:"
"$PY" scripts/show_site.py --duration "$((DURATION + 10))" "$DIR/entry" "$DIR/exit" &
watcher=$!
lasts=$((DURATION + 8))  # the entry lane outlasts the exit lane, so it holds its last passage
for lane in entry exit; do
  "$PY" -m kiosk.cli.main --config "$DIR/$lane.toml" --data-dir "$DIR/$lane" run --headless \
    --source demo --duration "$lasts" >"$DIR/$lane.events" 2>"$DIR/$lane.log" &
  pids+=($!)
  sleep 5  # the exit lane starts later, so someone is inside before it lets them out
  lasts=$DURATION
done
wait "$watcher"
echo
"$PY" -m kiosk.cli.main --config "$DIR/exit.toml" --data-dir "$DIR/exit" site status

#!/usr/bin/env bash
# Runs the built program the way a technician would first run it; fails the build if it cannot
# start, cannot verify a published vector, or its self-test fails.
set -euo pipefail
app=${1:-dist/kiosk/kiosk}
vectors=tests/vectors
export QT_QPA_PLATFORM=offscreen
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT

"$app" --version
anchor=$(python3 -c "import json; print(json.load(open('$vectors/vectors.json'))['anchor'])")
out=$("$app" --data-dir "$data" verify --json --anchor "$anchor" \
      --trust-list "$vectors/trust-list.cose" --revocations "$vectors/revocations.cose" \
      --at 2026-11-26T08:00:00Z "$vectors/valid.txt")
echo "$out"
grep -q '"verdict": "accept"' <<<"$out" || { echo "smoke test: the valid vector was not accepted" >&2; exit 1; }

# No camera and no portal here: the self-test runs on the built-in demo and must not fail.
"$app" --data-dir "$data" selftest --json --camera-wait 1
# A minute of the real window on the demo codes (offscreen): painting must not wear the
# process down (a Qt binding that leaked references to None aborted the kiosk after minutes).
"$app" --data-dir "$data" run --source demo --duration "${SMOKE_PAINT_S:-60}"
echo "smoke test passed: $app"

#!/bin/sh
# A stand-in for a gate relay: `gate.command = ["/path/demo-relay.sh", "{event_id}", "{direction}"]`.
# A real one would pulse a GPIO or a USB relay board here. It appends one line per opening to
# $RELAY_LOG (default /tmp/kiosk-relay.log) and exits 0: "opened, and the person passed".
# Exit 10 would mean "opened, not passed"; anything else, "failed" (see kiosk/core/gate/action.py).
echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) relay open: $2 (scan $1)" >> "${RELAY_LOG:-/tmp/kiosk-relay.log}"

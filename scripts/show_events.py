"""Turns `kiosk run --headless` JSON lines into one readable line each (for `make run`)."""

import json
import sys

from kiosk.core.reason_text import outcome_words, reason_words
from verifier import Outcome, Reason

for line in sys.stdin:
    event = json.loads(line)
    words = outcome_words(Outcome(event["verdict"]))
    if event["reason"]:
        words += f" — {reason_words(Reason(event['reason']))}"
    subject = event.get("subject")
    who = f" — {subject['name']}, {subject['id_masked']}" if subject else ""
    print(
        f"  {event['direction'] or '':5} {words}{who}  ({event['latency_ms']:.0f} ms)", flush=True
    )

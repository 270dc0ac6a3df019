"""Run by test_restart.py: the app's exit path with a restart asked, as run() takes it after a
clean close. The second run says so and ends (before importing anything heavy)."""

from __future__ import annotations

import os
import sys

if os.environ.get("RESTARTED") == "1":
    print(f"second run, argv={sys.argv[1:]}", flush=True)
    sys.exit(0)

from kiosk.ui.app import _restart

os.environ["RESTARTED"] = "1"
print("first run", flush=True)
_restart()  # replaces this process: what follows runs only if it failed
sys.exit(3)

"""The gate: the action that opens it (relay, command, HTTP) on its own thread."""

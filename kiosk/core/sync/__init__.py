"""Portal sync as the kiosk runs it: the client built from the settings, the loop
beside the scans, and what a round leaves in the journal."""

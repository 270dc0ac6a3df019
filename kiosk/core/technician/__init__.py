"""The technician's way in: the PIN, the signed badge, and the self-test they run."""

"""The reference portal: the issuer's side of the CDS1 format, for the demo and the tests.

Never imported by the kiosk (`verifier`, `portal_sync`, `kiosk`); ruff's banned-api rule holds that.
"""

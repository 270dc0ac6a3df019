"""The gate-check kiosk: reads Công dân số QR credentials and verifies them offline."""

__version__ = "0.1.0"

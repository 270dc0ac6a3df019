"""The kiosk's screen: the only package importing Qt; it shows what kiosk.core decides."""

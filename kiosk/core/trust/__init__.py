"""The kiosk's trust: which anchor it pins, and whether its lists are fresh enough."""

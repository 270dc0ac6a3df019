"""The counter: which services a visit may be, the visit's plan, the hand-off to the
counter's software and the match of a typed identity."""

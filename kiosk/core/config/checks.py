"""One value checked against its setting's declaration: type, choices, range."""

from __future__ import annotations

from typing import Any

from kiosk.core.config.errors import ConfigError
from kiosk.core.config.table import Setting


def coerce(setting: Setting, value: Any) -> Any:
    """The value checked against its declaration. Raises ConfigError (without file or line)."""
    expected = setting.type
    if expected is float and type(value) is int:
        value = float(value)
    if expected is list:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError("must be a list of strings", key=setting.key, problem="wrong_type")
    elif type(value) is not expected:
        raise ConfigError(
            f"must be {expected.__name__}, not {type(value).__name__}", key=setting.key,
            problem="wrong_type",
        )  # fmt: skip
    if setting.choices is not None and value not in setting.choices:
        raise ConfigError(f"must be one of {', '.join(map(str, setting.choices))}", key=setting.key,
                          problem="not_a_choice")  # fmt: skip
    if setting.minimum is not None and value < setting.minimum:
        raise ConfigError(f"must be at least {setting.minimum}", key=setting.key,
                          problem="too_small", facts={"limit": setting.minimum})  # fmt: skip
    if setting.maximum is not None and value > setting.maximum:
        raise ConfigError(f"must be at most {setting.maximum}", key=setting.key,
                          problem="too_large", facts={"limit": setting.maximum})  # fmt: skip
    return value

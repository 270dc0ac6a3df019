"""The refusal of a config file or value."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any


class ConfigError(ValueError):
    """A config file or value was refused. The message names the key, the file and the line;
    `problem` (an id) and `facts` (its numbers or choices) let a screen word it."""

    def __init__(
        self,
        message: str,
        *,
        key: str | None = None,
        file: Path | None = None,
        line: int | None = None,
        problem: str = "invalid",
        facts: Mapping[str, Any] | None = None,
    ) -> None:
        where = ", ".join(
            p
            for p in (
                f"key {key}" if key else "",
                f"file {file}" if file else "",
                f"line {line}" if line else "",
            )
            if p
        )
        super().__init__(f"{message} ({where})" if where else message)
        self.key, self.file, self.line = key, file, line
        self.problem, self.facts = problem, dict(facts or {})

"""The settings as one generic table, derived from the declared sections.

Code that walks every setting by its key (files, the default template, `kiosk config show`, the
technician's page and its edits) reads this table; code that reads one setting reads its
section (`config.scan.repeat_window_s`). Values here are in their file form: a list of strings
is a list, as TOML writes it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import MISSING, Field, dataclass, fields
from typing import Any, Literal, get_args, get_origin, get_type_hints

from kiosk.core.config.declarations import Settings

# The types a setting may have, as a file holds them (`list`: a list of strings).
KINDS = (str, int, float, bool, list)


@dataclass(frozen=True, slots=True)
class Setting:
    key: str  # "section.name"
    type: type
    default: Any
    doc: str
    choices: tuple[Any, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None


def _sections() -> tuple[tuple[str, type], ...]:
    hints = get_type_hints(Settings)
    return tuple((f.name, hints[f.name]) for f in fields(Settings))


# (name, class) of each section, in the order declared.
SECTIONS: tuple[tuple[str, type], ...] = _sections()


def _kind(hint: Any, key: str) -> tuple[type, tuple[Any, ...] | None]:
    """The file type of a field's annotation, and its choices when it is a Literal."""
    if get_origin(hint) is Literal:
        choices = get_args(hint)
        kinds = {type(c) for c in choices}
        if len(kinds) != 1:
            raise TypeError(f"{key}: the choices of a setting share one type")
        return kinds.pop(), choices
    if hint == tuple[str, ...]:
        return list, None
    if hint in KINDS and hint is not list:
        return hint, None
    raise TypeError(f"{key}: no setting type for {hint!r}")


def file_form(value: Any) -> Any:
    """A section's value as a file holds it (a tuple of strings is a list)."""
    return list(value) if isinstance(value, tuple) else value


def _row(section: str, declared: Field[Any], hint: Any) -> Setting:
    key = f"{section}.{declared.name}"
    if declared.default is MISSING or "doc" not in declared.metadata:
        raise TypeError(f"{key}: declare it with setting(default, doc)")
    kind, choices = _kind(hint, key)
    return Setting(
        key,
        kind,
        file_form(declared.default),
        declared.metadata["doc"],
        choices,
        declared.metadata["minimum"],
        declared.metadata["maximum"],
    )


def _rows() -> Iterator[Setting]:
    for section, cls in SECTIONS:
        hints = get_type_hints(cls)
        for declared in fields(cls):
            yield _row(section, declared, hints[declared.name])


SETTINGS: tuple[Setting, ...] = tuple(_rows())

BY_KEY: dict[str, Setting] = {s.key: s for s in SETTINGS}

"""The settings as one generic table, derived from the declared sections.

Code that walks every setting by its key (files, the default template, `kiosk config show`, the
technician's page and its edits) reads this table; code that reads one setting reads its
section (`config.scan.repeat_window_s`). Values here are in their file form: a list of strings
is a list, as TOML writes it.
"""

from __future__ import annotations

from dataclasses import MISSING, Field, dataclass, fields
from typing import Any, Literal, get_args, get_origin, get_type_hints

from kiosk.core.config.declarations import Settings

# The scalar types a setting may have; a tuple[str, ...] field is a list of strings in a file.
SCALARS = (str, int, float, bool)


@dataclass(frozen=True, slots=True)
class Setting:
    key: str  # "section.name"
    type: type
    default: Any
    doc: str
    choices: tuple[Any, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None


def sections_of(settings: type[Any]) -> tuple[tuple[str, type[Any]], ...]:
    """(name, class) of each section of a settings class, in the order declared."""
    hints = get_type_hints(settings)
    return tuple((f.name, hints[f.name]) for f in fields(settings))


SECTIONS = sections_of(Settings)


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
    if hint in SCALARS:
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


def rows_of(settings: type[Any]) -> tuple[Setting, ...]:
    """One row per field of each section, keyed "section.field". TypeError names a field
    declared without setting() or of a type no file holds."""
    rows: list[Setting] = []
    for section, cls in sections_of(settings):
        hints = get_type_hints(cls)
        rows.extend(_row(section, declared, hints[declared.name]) for declared in fields(cls))
    return tuple(rows)


SETTINGS: tuple[Setting, ...] = rows_of(Settings)

BY_KEY: dict[str, Setting] = {s.key: s for s in SETTINGS}

"""People inside now, from the day's passages: people, not passages."""

from __future__ import annotations


class PeopleInside:
    """How many people are inside: each person's (site pseudonym's) entries minus exits today,
    held between 0 and 1, so one person admitted fifteen times is one person inside, and an
    exit without an entry today takes no one else out. Passages without a pseudonym (none is
    expected: only a person with an ID number is let through) are counted apart, the same way
    as a whole."""

    def __init__(self) -> None:
        self._inside: set[bytes] = set()
        self._anonymous = 0

    def passage(self, pseudonym: bytes | None, direction: str | None) -> None:
        if direction not in ("entry", "exit"):
            return
        entering = direction == "entry"
        if pseudonym is None:
            self._anonymous = max(0, self._anonymous + (1 if entering else -1))
        elif entering:
            self._inside.add(pseudonym)
        else:
            self._inside.discard(pseudonym)

    def clear(self) -> None:
        self._inside.clear()
        self._anonymous = 0

    def __len__(self) -> int:
        return len(self._inside) + self._anonymous

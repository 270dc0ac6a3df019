"""Sets of row numbers written as runs, "1-50,53-60": how purge markers name the rows they blank."""

from __future__ import annotations

from collections.abc import Iterable

Ranges = list[tuple[int, int]]


def to_ranges(seqs: Iterable[int]) -> Ranges:
    """Runs of consecutive numbers from an ascending sequence."""
    runs: Ranges = []
    for seq in seqs:
        if runs and seq == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], seq)
        else:
            runs.append((seq, seq))
    return runs


def format_ranges(runs: Ranges) -> str:
    return ",".join(f"{a}-{b}" for a, b in runs)


def parse_ranges(text: str) -> Ranges:
    """Raises ValueError on anything but ascending, non-overlapping "a-b" runs."""
    runs: Ranges = []
    for part in text.split(","):
        first, sep, last = part.partition("-")
        if not sep or not first.isdigit() or not last.isdigit():
            raise ValueError(f"bad range {part!r}")
        a, b = int(first), int(last)
        if a > b or (runs and a <= runs[-1][1]):
            raise ValueError(f"range {part!r} out of order")
        runs.append((a, b))
    return runs


def merge(runs: Iterable[tuple[int, int]]) -> Ranges:
    merged: Ranges = []
    for a, b in sorted(runs):
        if merged and a <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def covers(merged: Ranges, run: tuple[int, int]) -> bool:
    """Whether one run lies inside the merged (sorted, disjoint) runs."""
    import bisect

    i = bisect.bisect_right(merged, (run[0], float("inf"))) - 1
    return i >= 0 and merged[i][0] <= run[0] and run[1] <= merged[i][1]

"""The storage soak (`make test-long`; figures: `make soak-storage`): a headless kiosk on a
4 MB filesystem, filled and freed ten times while it scans. Needs root for the tmpfs."""

from __future__ import annotations

import os

import pytest

from bench.storage_soak import soak


@pytest.mark.slow
@pytest.mark.skipif(os.geteuid() != 0, reason="a 4 MB tmpfs needs root (mount -o size=4m)")
def test_a_kiosk_on_a_small_disk_filled_and_freed_ten_times() -> None:
    report = soak(cycles=10, rate=40.0, size="4m")
    assert report.exit_status == 0
    assert report.printed > 200 and not report.missing  # every printed event is journaled
    assert len(report.cycles) == 10
    for cycle in report.cycles:
        assert cycle.out_after_s is not None  # the full disk was noticed and said
        assert cycle.back_after_s is not None and cycle.back_after_s < 1.0
    assert report.footprint_bytes <= 2 * report.data_bytes
    # A state change is one line (and its end another), not one per refused scan.
    assert report.out_of_service_lines <= 3 * len(report.cycles)
    assert report.stderr_lines <= 2 * report.out_of_service_lines + 2

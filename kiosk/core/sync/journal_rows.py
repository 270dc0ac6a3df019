"""What a sync round did that the journal must hold: lists installed or refused (version, why),
clock drift seen, and the portal refusing this device.

One mapping, used by the sync loop in the runtime and by `kiosk sync`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from kiosk.core.journal.records import Action, DetailValue
from portal_sync.sync_round import RoundReport

_INSTALLED = {
    "trust-list": Action.TRUST_LIST_INSTALLED,
    "revocations": Action.REVOCATIONS_INSTALLED,
    "site-roster": Action.SITE_ROSTER_INSTALLED,
}
_REFUSED = {
    "trust-list": Action.TRUST_LIST_REFUSED,
    "revocations": Action.REVOCATIONS_REFUSED,
    "site-roster": Action.SITE_ROSTER_REFUSED,
}
_NOTICES = {
    "clock_drift": Action.CLOCK_DRIFT,
    "clock_ok": Action.CLOCK_OK,
    "device_refused": Action.DEVICE_REFUSED,
}

Row = tuple[Action, dict[str, DetailValue]]


def _plain(detail: Mapping[str, Any]) -> dict[str, DetailValue]:
    """Journal details hold text, integers and flags: anything else is written as text."""
    return {
        k: v if v is None or isinstance(v, str | int | bool) else str(v) for k, v in detail.items()
    }


def journal_rows(report: RoundReport) -> list[Row]:
    rows: list[Row] = []
    for doc in report.documents:
        if doc.status == "installed":
            rows.append(
                (_INSTALLED[doc.kind], {"version": doc.version, "previous": doc.previous_version})
            )
        elif doc.refused and not doc.repeated:  # once per refused document, not per round
            rows.append(
                (
                    _REFUSED[doc.kind],
                    _plain({"version": doc.version, "why": doc.reason, "detail": doc.detail}),
                )
            )
    for notice in report.notices:
        action = _NOTICES.get(notice.kind)
        if action is not None:
            rows.append((action, _plain({"source": "portal", **notice.detail})))
    return rows


def record_round(
    report: RoundReport, record: Callable[[Action, dict[str, DetailValue]], Any]
) -> None:
    for action, detail in journal_rows(report):
        record(action, detail)

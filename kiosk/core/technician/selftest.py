"""The self-test: each part of the kiosk checked, green or red, with what to do about it.

Used by the technician's page and by `kiosk selftest --json`. Each check returns a stable id,
a pass/fail, what it found as a stable id with its numbers (`finding`, `facts`: the screen
words them in its language), a short technical detail in English for logs and the command line
(numbers, paths; never personal data) and an advice id. Checks never raise: a check that
breaks is a failed check.
"""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from kiosk.core.decode.decoder import Decoder
from kiosk.core.demo_data import load_demo
from kiosk.core.runtime import Runtime
from kiosk.core.runtime_messages import SiteState, SyncState, TrustLevel
from kiosk.core.trust.freshness import ListState
from verifier import StaleAction

log = logging.getLogger(__name__)

MIN_FREE_BYTES = 500 * 1024 * 1024
CLOCK_TOLERANCE_S = 120.0


class Level(StrEnum):
    PASS = "pass"
    WARN = "warn"
    FAIL = "fail"


@dataclass(frozen=True, slots=True)
class CheckResult:
    check: str  # camera, decoder, trust_list, revocations, clock, portal, disk, journal, site
    level: Level
    detail: str
    advice: str  # an advice id the screen words; "" when nothing is to be done
    finding: str = ""  # what was found, an id the screen words with `facts`
    facts: dict[str, Any] = field(default_factory=dict)  # its numbers: ages in s, ms, bytes

    @property
    def ok(self) -> bool:
        return self.level is not Level.FAIL

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "level": str(self.level)}


def _age(seconds: float) -> str:
    if seconds < 3600:
        return f"{seconds / 60:.0f} min"
    if seconds < 2 * 86400:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} d"


def check_camera(rt: Runtime) -> CheckResult:
    s = rt.status().source
    if s.demo:
        return CheckResult("camera", Level.WARN, f"demo source ({s.demo_reason})", "camera_demo",
                           "demo", {"why": s.demo_reason})  # fmt: skip
    if s.state == "live":
        frame = rt.latest_frame()
        size = (
            f"{frame.frame.shape[1]}x{frame.frame.shape[0]}"
            if frame and frame.frame is not None
            else "?"
        )
        return CheckResult("camera", Level.PASS, f"{s.source}: live, {size}", "", "live",
                           {"source": s.source, "size": size})  # fmt: skip
    return CheckResult("camera", Level.FAIL, f"{s.source}: {s.state} {s.error or ''}".strip(),
                       "camera_check_cable", "down",
                       {"source": s.source, "state": s.state})  # fmt: skip


def check_decoder(rt: Runtime) -> CheckResult:
    from kiosk.core.sources.demo import demo_frame

    code = load_demo().codes[0].text
    start = time.perf_counter()
    texts = Decoder().decode(demo_frame(code, "self-test")).texts
    ms = (time.perf_counter() - start) * 1000
    if code in texts:
        return CheckResult("decoder", Level.PASS, f"test image read in {ms:.0f} ms", "", "read",
                           {"ms": round(ms)})  # fmt: skip
    return CheckResult("decoder", Level.FAIL, "the built-in test image was not read", "reinstall",
                       "not_read")  # fmt: skip


def check_trust_list(rt: Runtime, now: float) -> CheckResult:
    if rt.anchor_problem:  # the public demo anchor outside demo mode: anyone can sign for it
        return CheckResult("trust_list", Level.FAIL, rt.anchor_problem[:200], "portal_enrol")
    t = rt.status().trust
    if t.level is TrustLevel.NONE or t.issued_at is None:
        unreadable = rt.trust_freshness(now).trust_list.problem
        why = rt.trust_problem or (unreadable and f"trust list unreadable ({unreadable})")
        why = why or "no trust list installed"
        finding = "unreadable" if unreadable else "none"
        return CheckResult("trust_list", Level.FAIL, why, "trust_sync", finding)
    detail = f"version {t.version}, issued {_age(now - t.issued_at)} ago"
    facts = {"version": t.version, "age_s": round(now - t.issued_at)}
    if t.demo:
        return CheckResult("trust_list", Level.WARN, detail + " (demo)", "camera_demo", "demo",
                           facts)  # fmt: skip
    if t.level is TrustLevel.EXPIRED:
        return CheckResult("trust_list", Level.FAIL, detail + ", past its grace", "trust_sync",
                           "expired", facts)  # fmt: skip
    if t.level is TrustLevel.STALE:
        return CheckResult("trust_list", Level.WARN, detail + ", past next update", "trust_sync",
                           "stale", facts)  # fmt: skip
    return CheckResult("trust_list", Level.PASS, detail, "", "current", facts)


def check_revocations(rt: Runtime, now: float) -> CheckResult:
    """Held to the trust list's rule (credential-format.md): none held, or past its next update
    plus the grace, and revocation is not checked; the detail says what the policy then does."""
    f = rt.trust_freshness(now).revocations
    then = (
        "credentials are rejected (stale_trust_list)"
        if rt.policy.on_stale_trust_list is StaleAction.REJECT
        else "credentials are accepted with a warning"
    )
    if f.state is ListState.UNREADABLE:
        detail = f"revocation list unreadable: revocation not checked, {then} ({f.problem})"
        return CheckResult("revocations", Level.FAIL, detail, "trust_sync", "unreadable")
    t = rt.status().trust
    if f.state is ListState.MISSING or t.revocations_issued_at is None:
        detail = f"no revocation list installed: revocation not checked, {then}"
        return CheckResult("revocations", Level.FAIL, detail, "trust_sync", "none")
    age = now - t.revocations_issued_at
    detail = f"version {f.version}, issued {_age(age)} ago"
    facts = {"version": f.version, "age_s": round(age)}
    if f.state is ListState.STALE:
        detail += f", past its next update plus the grace: revocation not checked, {then}"
        return CheckResult("revocations", Level.FAIL, detail, "trust_sync", "expired", facts)
    if f.state is ListState.LATE:
        return CheckResult("revocations", Level.WARN, detail + ", past next update", "trust_sync",
                           "stale", facts)  # fmt: skip
    return CheckResult("revocations", Level.PASS, detail, "", "current", facts)


def _sync_state(data_dir: Path) -> Any:
    from portal_sync.enrolment import state_path
    from portal_sync.state import SyncState

    return SyncState.load(state_path(data_dir))


def check_clock(rt: Runtime, now: float) -> CheckResult:
    offset = _sync_state(rt.data_dir).clock_offset_s
    if offset is None:
        return CheckResult("clock", Level.WARN, "not yet compared with the portal", "portal_enrol",
                           "not_compared")  # fmt: skip
    facts = {"offset_s": round(offset, 1)}
    if abs(offset) > CLOCK_TOLERANCE_S:
        return CheckResult("clock", Level.FAIL, f"{offset:+.0f} s from the portal", "clock_set",
                           "offset", facts)  # fmt: skip
    return CheckResult("clock", Level.PASS, f"{offset:+.1f} s from the portal", "", "offset", facts)


def check_portal(rt: Runtime, now: float) -> CheckResult:
    status = rt.status()
    state = _sync_state(rt.data_dir)
    if status.sync_state in (SyncState.OFF, SyncState.NOT_ENROLLED) and state.last_success is None:
        return CheckResult("portal", Level.WARN, f"sync {status.sync_state}", "portal_enrol",
                           f"sync_{status.sync_state}")  # fmt: skip
    if state.last_error and (state.last_success is None or state.failures > 0):
        return CheckResult("portal", Level.FAIL, state.last_error[:160], "portal_network",
                           "failing", {"error": state.last_error[:160],
                                       "code": state.last_error_code or ""})  # fmt: skip
    last = state.last_success or status.last_sync
    if last:
        return CheckResult("portal", Level.PASS, f"last sync {_age(now - last)} ago", "",
                           "last_sync", {"age_s": round(now - last)})  # fmt: skip
    return CheckResult("portal", Level.PASS, "reachable", "", "reachable")


def check_disk(rt: Runtime) -> CheckResult:
    rt.data_dir.mkdir(parents=True, exist_ok=True)
    free = shutil.disk_usage(rt.data_dir).free
    detail = f"{free / 2**30:.1f} GiB free in {rt.data_dir}"
    facts = {"free_bytes": free, "path": str(rt.data_dir)}
    if free < MIN_FREE_BYTES:
        return CheckResult("disk", Level.FAIL, detail, "disk_free", "free", facts)
    return CheckResult("disk", Level.PASS, detail, "", "free", facts)


def check_journal(rt: Runtime) -> CheckResult:
    if rt.recorder is None:  # the runtime never opened its journal: it is out of service
        detail = "journal not open: events are not kept"
        return CheckResult("journal", Level.FAIL, detail, "disk_free", "not_open")
    problem = rt.recorder.storage_problem()
    if problem:
        return CheckResult("journal", Level.FAIL, problem, "disk_free", "storage")
    report = rt.recorder.journal.verify()
    if report.ok:
        return CheckResult("journal", Level.PASS, f"{report.rows} rows, chain intact", "",
                           "intact", {"rows": report.rows})  # fmt: skip
    first = report.findings[0]
    detail = f"{len(report.findings)} problem(s); first: {first.problem}: {first.message}"
    return CheckResult("journal", Level.FAIL, detail, "journal_tampered", "altered",
                       {"rows": report.rows, "problems": len(report.findings)})  # fmt: skip


def check_site(rt: Runtime) -> CheckResult:
    """The site bus, for a lane of a site (only asked when a broker is configured)."""
    site = rt.site_summary()
    if site is None:
        return CheckResult("site", Level.PASS, "no broker: this lane decides alone", "", "alone")
    facts = {"online": site.lanes_online, "lanes": site.lanes, "inside": site.occupancy,
             "conflicts": site.conflicts, "unpublished": site.unpublished}  # fmt: skip
    if site.state is SiteState.ONLINE:
        detail = f"{site.lanes_online}/{site.lanes} lanes, {site.occupancy} inside"
        return CheckResult("site", Level.PASS, detail, "", "site_online", facts)
    if site.state is SiteState.OFFLINE:
        return CheckResult("site", Level.WARN, site.detail[:160], "site_broker", "site_offline",
                           facts)  # fmt: skip
    return CheckResult("site", Level.FAIL, site.detail[:160], "site_enrol", "site_error")


def run_checks(rt: Runtime, now: float | None = None) -> list[CheckResult]:
    now = time.time() if now is None else now
    checks: list[tuple[str, Callable[[], CheckResult]]] = [
        ("camera", lambda: check_camera(rt)),
        ("decoder", lambda: check_decoder(rt)),
        ("trust_list", lambda: check_trust_list(rt, now)),
        ("revocations", lambda: check_revocations(rt, now)),
        ("clock", lambda: check_clock(rt, now)),
        ("portal", lambda: check_portal(rt, now)),
        ("disk", lambda: check_disk(rt)),
        ("journal", lambda: check_journal(rt)),
    ]
    if rt.config.site.broker_url:  # a lane of a site: the bus too
        checks.append(("site", lambda: check_site(rt)))
    results = []
    for name, run in checks:
        try:
            results.append(run())
        except Exception as e:  # a broken check is a failed check, never a broken page
            log.exception("self-test %s failed", name)
            results.append(CheckResult(name, Level.FAIL, f"check failed: {e!r}"[:200], "reinstall",
                                       "broken"))  # fmt: skip
    return results

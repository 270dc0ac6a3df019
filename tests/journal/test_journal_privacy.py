"""Privacy: the journal's files never hold a scanned citizen's ID number, name or QR text;
only the portal's private key opens the sealed data; without the portal's key nothing personal
is kept at all."""

from __future__ import annotations

import json
import sqlite3
import unicodedata
from contextlib import closing
from pathlib import Path

import nacl.public

from kiosk.core.demo_data import DemoBundle
from kiosk.core.journal import Action
from verifier import Verdict

from .conftest import JournalFactory, Person, ScanFactory

NAMES = ["valid", "expired", "revoked", "forged", "idcard", "url"]


def _secrets(verdicts: dict[str, Verdict], people: list[Person], demo: DemoBundle) -> list[bytes]:
    out: list[bytes] = []
    subjects = [v.subject for v in verdicts.values() if v.subject]
    assert len(subjects) == 4
    for s in subjects:
        values = [s.id_number, s.name, s.old_id_number, s.address]
        for value in filter(None, values):
            out += [value.encode(), unicodedata.normalize("NFD", value).encode()]
        out.append(s.name.upper().encode())
    for p in people:
        out += [p.id_number.encode(), p.name.encode()]
    out += [c.text[5:40].encode() for c in demo.codes]  # the QR texts
    return out


def _files(data_dir: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in data_dir.rglob("*") if p.is_file()}


def _scan_everything(open_journal: JournalFactory, scan: ScanFactory, people: list[Person]) -> None:
    gate = open_journal()
    for name in NAMES:
        gate.record_scan(scan(name))
    for p in people:
        gate.record_scan(scan(text=p.text))
    gate.close()
    counter = open_journal(mode="counter")
    recorded = counter.record_scan(scan(text=people[0].text))
    assert recorded is not None
    counter.record_transaction(recorded.event_id, "banking", reference="TXN-98765-4321")
    counter.record_system(
        Action.SETTINGS_CHANGED, {"key": "kiosk.mode", "old": "gate", "new": "counter"}
    )


def test_files_hold_no_id_number_name_or_qr_text(
    open_journal: JournalFactory, scan: ScanFactory, people: list[Person],
    verdicts: dict[str, Verdict], demo: DemoBundle, portal_key: nacl.public.PrivateKey,
    data_dir: Path,
) -> None:  # fmt: skip
    _scan_everything(open_journal, scan, people)
    files = _files(data_dir)  # while open: the -wal and -shm files are there too
    assert any(name.endswith("-wal") for name in files)
    secrets = [*_secrets(verdicts, people, demo), b"TXN-98765-4321"]
    for name, content in files.items():
        for secret in secrets:
            assert secret not in content, f"{secret!r} found in {name}"


def test_only_the_portal_opens_the_sealed_data(
    open_journal: JournalFactory, scan: ScanFactory, people: list[Person],
    portal_key: nacl.public.PrivateKey, data_dir: Path,
) -> None:  # fmt: skip
    _scan_everything(open_journal, scan, people)
    box = nacl.public.SealedBox(portal_key)
    with closing(sqlite3.connect(data_dir / "journal" / "journal.db")) as conn:
        sealed = [r[0] for r in conn.execute("SELECT sealed FROM events WHERE sealed IS NOT NULL")]
    opened = [json.loads(box.decrypt(s)) for s in sealed]
    assert {"id": people[0].id_number, "name": people[0].name} in opened
    assert {"reference": "TXN-98765-4321"} in opened
    assert all(set(o) in ({"id", "name"}, {"reference"}) for o in opened)  # nothing more
    # No private key of the portal lives in the data dir.
    for content in _files(data_dir).values():
        assert bytes(portal_key) not in content and bytes(portal_key).hex().encode() not in content


def test_without_the_portal_key_nothing_personal_is_kept(
    open_journal: JournalFactory, scan: ScanFactory, people: list[Person], data_dir: Path
) -> None:
    journal = open_journal()
    journal.record_scan(scan(text=people[1].text))
    opened = journal.pending(10)[1].body
    assert opened["action"] == "journal.opened"
    assert json.loads(opened["detail"])["sealing"] == "none"
    scanned = journal.pending(10)[2].body
    assert scanned["sealed"] is None and scanned["pseudonym"]  # pseudonym kept for the gate
    journal.close()
    for content in _files(data_dir).values():
        assert people[1].id_number.encode() not in content
        assert people[1].name.encode() not in content


def test_a_damaged_portal_key_counts_as_none(
    open_journal: JournalFactory, scan: ScanFactory, data_dir: Path
) -> None:
    key_file = data_dir / "portal" / "seal.pub"
    key_file.parent.mkdir(parents=True)
    key_file.write_text("not hex\n")
    journal = open_journal()
    detail = json.loads(journal.pending(10)[1].body["detail"])
    assert detail["sealing"] == "none" and detail["why"] == "portal key is not hex"
    journal.record_scan(scan("valid"))
    assert journal.pending(10)[2].body["sealed"] is None

"""The journal's `rev_hash` is keyed with the site secret: a photo of someone's QR code gives
its revocation hash to anyone, and must not find that person's rows, here or at another site."""

from __future__ import annotations

import hashlib
import sqlite3
from contextlib import closing
from pathlib import Path

from kiosk.core.journal.journal import journal_path
from kiosk.core.journal.sealing import LANE_SECRET_FILE
from verifier import Verdict

from .conftest import JournalFactory, ScanFactory


def _rev_hashes(data_dir: Path) -> list[bytes]:
    with closing(sqlite3.connect(journal_path(data_dir))) as conn:
        rows = conn.execute("SELECT rev_hash FROM events WHERE rev_hash IS NOT NULL")
        return [bytes(r[0]) for r in rows]


def test_rev_hash_is_keyed_with_the_site_secret(
    open_journal: JournalFactory, scan: ScanFactory, verdicts: dict[str, Verdict],
    data_dir: Path, tmp_path: Path,
) -> None:  # fmt: skip
    credential = verdicts["valid"].credential
    assert credential is not None
    bare = credential.revocation_hash  # what a photo of the code gives anyone
    other_site = tmp_path / "other-site"
    for where in (data_dir, other_site):
        journal = open_journal(directory=where)
        journal.record_scan(scan("valid"))
        journal.close()
    here, there = _rev_hashes(data_dir), _rev_hashes(other_site)
    assert len(here) == len(there) == 1
    assert bare not in here and here != there  # unlinkable across sites
    secret = (data_dir / LANE_SECRET_FILE).read_bytes()
    keyed = hashlib.blake2b(bare, key=secret, digest_size=16, person=b"cds-rev-hash-1").digest()
    assert here == [keyed]  # still one stable tag per credential at this site
    for path in data_dir.rglob("*"):
        if path.is_file():
            assert bare not in path.read_bytes(), f"the bare revocation hash is in {path}"

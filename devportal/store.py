"""The reference portal's storage: one SQLite file holding keys, documents, devices and events.

One connection behind a lock: the portal is a reference, and SQLite serialises writers anyway.
WAL with synchronous=FULL, because an acknowledgement promises the batch is on disk.
Schema version in `PRAGMA user_version`. The file holds every private key, so the folder is
0700 and the database (with its WAL and shared-memory files) 0600, whatever the umask.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
import secrets
import sqlite3
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nacl.public
import nacl.signing

from devportal import badge, chain, demo, issuer
from devportal.chain import ChainRefused, Head, Link
from devportal.issuer import Citizen, ListedKey
from verifier.documents import anchor_fingerprint

log = logging.getLogger(__name__)

SCHEMA_VERSION = 2
DB_FILE = "portal.db"
TRUST_LIST = "trust-list"
REVOCATIONS = "revocations"
DOCUMENT_KINDS = (TRUST_LIST, REVOCATIONS)
LIST_LIFETIME_S = 7 * 86400  # next_update of a freshly published list
ISSUER_KEY_LIFETIME_S = 10 * 365 * 86400
NONCE_KEEP_S = 900  # longer than the accepted `created` window, so a replay is always seen
BATCH_KEEP_S = 7 * 86400  # how long an idempotency key is remembered

_SCHEMA = """
CREATE TABLE keys (
    id INTEGER PRIMARY KEY, role TEXT NOT NULL, secret BLOB NOT NULL, public BLOB NOT NULL,
    iss TEXT, nbf INTEGER, exp INTEGER, created INTEGER NOT NULL, retired INTEGER
);
CREATE TABLE documents (
    kind TEXT NOT NULL, version INTEGER NOT NULL, raw BLOB NOT NULL, etag TEXT NOT NULL,
    published INTEGER NOT NULL, PRIMARY KEY (kind, version)
);
CREATE TABLE credentials (
    cti BLOB PRIMARY KEY, id_number TEXT NOT NULL, name TEXT NOT NULL, issued INTEGER NOT NULL,
    exp INTEGER NOT NULL, revoked INTEGER
);
CREATE TABLE enrolment_codes (
    code TEXT PRIMARY KEY, expires INTEGER NOT NULL, uses_left INTEGER NOT NULL,
    created INTEGER NOT NULL
);
CREATE TABLE devices (
    device_id TEXT PRIMARY KEY, public_key BLOB NOT NULL UNIQUE, name TEXT NOT NULL,
    site TEXT NOT NULL, enrolled INTEGER NOT NULL, revoked INTEGER, last_seen INTEGER,
    heartbeat TEXT
);
CREATE TABLE events (
    device_id TEXT NOT NULL, event_id TEXT NOT NULL, body TEXT NOT NULL,
    received INTEGER NOT NULL, PRIMARY KEY (device_id, event_id)
) WITHOUT ROWID;
CREATE TABLE batches (
    device_id TEXT NOT NULL, idem_key TEXT NOT NULL, digest TEXT NOT NULL,
    response TEXT NOT NULL, received INTEGER NOT NULL, PRIMARY KEY (device_id, idem_key)
) WITHOUT ROWID;
CREATE TABLE nonces (
    device_id TEXT NOT NULL, nonce TEXT NOT NULL, created INTEGER NOT NULL,
    PRIMARY KEY (device_id, nonce)
) WITHOUT ROWID;
CREATE TABLE checkpoints (
    device_id TEXT PRIMARY KEY, seq INTEGER NOT NULL, row_hash TEXT NOT NULL,
    received INTEGER NOT NULL
);
CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
"""
# Version 2: the portal's receipt key, site-bound enrolment codes, the chain rows held per
# device (one epoch per chain: a restarted journal starts the next), what the chain checks
# flagged, and the badges issued (so one can be revoked).
_SCHEMA_2 = """
ALTER TABLE enrolment_codes ADD COLUMN site TEXT;
ALTER TABLE checkpoints ADD COLUMN epoch INTEGER NOT NULL DEFAULT 1;
CREATE TABLE chain_rows (
    device_id TEXT NOT NULL, epoch INTEGER NOT NULL, seq INTEGER NOT NULL,
    prev_hash TEXT NOT NULL, row_hash TEXT NOT NULL, event_id TEXT NOT NULL,
    PRIMARY KEY (device_id, epoch, seq)
) WITHOUT ROWID;
CREATE TABLE chain_flags (
    device_id TEXT NOT NULL, kind TEXT NOT NULL, detail TEXT NOT NULL, first INTEGER NOT NULL,
    last INTEGER NOT NULL, count INTEGER NOT NULL, PRIMARY KEY (device_id, kind, detail)
) WITHOUT ROWID;
CREATE TABLE badges (
    bid BLOB PRIMARY KEY, technician TEXT NOT NULL, device_id TEXT, site TEXT,
    nbf INTEGER NOT NULL, exp INTEGER NOT NULL, revoked INTEGER
);
"""
ENROLMENT_REFUSED = "enrolment_code_refused"  # one answer for unknown, expired and used up


class PortalError(Exception):
    """The portal refused a request; `code` is the contract's error code, `status` the HTTP one."""

    def __init__(
        self, status: int, code: str, message: str, *, retry_after: int | None = None
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.retry_after = status, code, retry_after


@dataclass(frozen=True, slots=True)
class Document:
    kind: str
    version: int
    raw: bytes
    etag: str


@dataclass(frozen=True, slots=True)
class Device:
    device_id: str
    public_key: bytes
    name: str
    site: str
    revoked: int | None


@dataclass(frozen=True, slots=True)
class Enrolled:
    device_id: str
    document: bytes  # the anchor-signed enrolment document (docs/sync.md)
    anchor: bytes


def etag_for(raw: bytes) -> str:
    return '"' + hashlib.sha256(raw).hexdigest()[:32] + '"'


def new_enrolment_code() -> str:
    alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud and typed
    raw = "".join(secrets.choice(alphabet) for _ in range(12))
    return "-".join(raw[i : i + 4] for i in range(0, 12, 4))


def _private_file(path: Path) -> None:
    """Create `path` 0600 (or make it so): SQLite gives its WAL and -shm files the same mode."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        os.fchmod(fd, 0o600)
    finally:
        os.close(fd)


class PortalStore:
    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(self.data_dir, 0o700)
        for name in (DB_FILE, DB_FILE + "-wal", DB_FILE + "-shm"):
            if name == DB_FILE or (self.data_dir / name).exists():
                _private_file(self.data_dir / name)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(
            self.data_dir / DB_FILE, isolation_level=None, check_same_thread=False, timeout=10
        )
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version == 0:
            with self._tx():
                for statement in _SCHEMA.split(";")[:-1]:
                    self._db.execute(statement)
                self._db.execute("PRAGMA user_version=1")
            version = 1
        if version == 1:
            with self._tx():
                for statement in _SCHEMA_2.split(";")[:-1]:
                    self._db.execute(statement)
                if self._db.execute("SELECT 1 FROM keys WHERE role='anchor'").fetchone():
                    self._insert_portal_key(self._db, issuer.signing_key(), now_s())
                self._db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    @contextmanager
    def _locked_tx(self) -> Iterator[sqlite3.Connection]:
        with self._lock, self._tx() as db:
            yield db

    # --- keys and documents ---------------------------------------------------------------

    @property
    def initialised(self) -> bool:
        with self._lock:
            return self._db.execute("SELECT 1 FROM keys WHERE role='anchor'").fetchone() is not None

    def initialise(self, seed: str | None, now: int) -> None:
        """Make the anchor, issuer and sealing keys and publish the first lists.

        With a seed, the keys and the first lists are the demo set's (`devportal.demo`), so the
        printed demo credentials verify against this portal byte for byte.
        """
        if self.initialised:
            return
        if seed is not None:
            anchor = issuer.signing_key(f"{seed}:anchor")
            signer = issuer.signing_key(f"{seed}:issuer")
            portal = issuer.signing_key(f"{seed}:portal")
            seal = nacl.public.PrivateKey(hashlib.sha256(f"{seed}:seal".encode()).digest())
            demo_set = demo.build(seed)
            first_lists = [(TRUST_LIST, demo_set.trust_list), (REVOCATIONS, demo_set.revocations)]
            nbf, exp = demo.KEY_NBF, demo.KEY_EXP
        else:
            anchor, signer = issuer.signing_key(), issuer.signing_key()
            portal = issuer.signing_key()
            seal = nacl.public.PrivateKey.generate()
            first_lists = []
            nbf, exp = now - 86400, now + ISSUER_KEY_LIFETIME_S
        with self._locked_tx() as db:
            db.execute(
                "INSERT INTO keys (role, secret, public, created) VALUES ('anchor', ?, ?, ?)",
                (bytes(anchor), issuer.public_bytes(anchor), now),
            )
            db.execute(
                "INSERT INTO keys (role, secret, public, created) VALUES ('seal', ?, ?, ?)",
                (bytes(seal), bytes(seal.public_key), now),
            )
            self._insert_portal_key(db, portal, now)
            db.execute(
                "INSERT INTO keys (role, secret, public, iss, nbf, exp, created)"
                " VALUES ('issuer', ?, ?, ?, ?, ?, ?)",
                (bytes(signer), issuer.public_bytes(signer), demo.ISS, nbf, exp, now),
            )
            for kind, raw in first_lists:
                self._insert_document(db, kind, 1, raw, now)
            if seed is not None:
                # The demo credentials, so a later revocation list still names the demo's one.
                for name, citizen in demo.CITIZENS.items():
                    db.execute(
                        "INSERT INTO credentials (cti, id_number, name, issued, exp, revoked)"
                        " VALUES (?, ?, ?, ?, ?, ?)",
                        (
                            demo._cti(name, seed),
                            citizen.id_number,
                            citizen.name,
                            demo.ISSUED,
                            demo.VALID_UNTIL,
                            now if name == "revoked" else None,
                        ),
                    )
        if not first_lists:
            self.publish_trust_list(now)
            self.publish_revocations(now)

    @staticmethod
    def _insert_portal_key(db: sqlite3.Connection, key: nacl.signing.SigningKey, now: int) -> None:
        """The key that signs upload receipts; the enrolment document names it to the kiosk."""
        db.execute(
            "INSERT INTO keys (role, secret, public, created) VALUES ('portal', ?, ?, ?)",
            (bytes(key), issuer.public_bytes(key), now),
        )

    def _key(self, role: str) -> tuple[bytes, bytes]:
        row = self._db.execute(
            "SELECT secret, public FROM keys WHERE role=? AND retired IS NULL ORDER BY id DESC",
            (role,),
        ).fetchone()
        if row is None:
            raise RuntimeError(f"the portal has no {role} key: run `python -m devportal init`")
        return bytes(row[0]), bytes(row[1])

    def anchor(self) -> bytes:
        with self._lock:
            return self._key("anchor")[1]

    def anchor_fingerprint(self) -> str:
        return anchor_fingerprint(self.anchor())

    def seal_private_key(self) -> nacl.public.PrivateKey:
        with self._lock:
            return nacl.public.PrivateKey(self._key("seal")[0])

    def portal_public_key(self) -> bytes:
        with self._lock:
            return self._key("portal")[1]

    def _insert_document(
        self, db: sqlite3.Connection, kind: str, version: int, raw: bytes, now: int
    ) -> Document:
        etag = etag_for(raw)
        db.execute(
            "INSERT INTO documents (kind, version, raw, etag, published) VALUES (?, ?, ?, ?, ?)",
            (kind, version, raw, etag, now),
        )
        return Document(kind, version, raw, etag)

    def _next_version(self, db: sqlite3.Connection, kind: str) -> int:
        row = db.execute("SELECT MAX(version) FROM documents WHERE kind=?", (kind,)).fetchone()
        return int(row[0] or 0) + 1

    def publish_trust_list(self, now: int) -> Document:
        """A new trust list naming every issuer key still inside its validity window.

        A retired key is listed with its window closed at retirement (nothing it signs later
        verifies), and only until the last credential issued before then expires: then
        nothing it signed can still be valid, and a stolen copy of it mints nothing."""
        with self._locked_tx() as db:
            anchor = nacl.signing.SigningKey(self._key("anchor")[0])
            keys = []
            for pub, iss, nbf, exp, retired in db.execute(
                "SELECT public, iss, nbf, exp, retired FROM keys WHERE role='issuer' AND exp > ?"
                " ORDER BY id",
                (now,),
            ).fetchall():
                if retired is not None:
                    lives_until = db.execute(
                        "SELECT MAX(exp) FROM credentials WHERE issued <= ? AND issued >= ?",
                        (retired, nbf),
                    ).fetchone()[0]
                    if lives_until is None or lives_until <= now:
                        continue
                    exp = min(exp, retired)
                keys.append(ListedKey(bytes(pub), iss, nbf, exp))
            version = self._next_version(db, TRUST_LIST)
            raw = issuer.sign_trust_list(
                anchor, version=version, issued_at=now, next_update=now + LIST_LIFETIME_S, keys=keys
            )
            return self._insert_document(db, TRUST_LIST, version, raw, now)

    def publish_revocations(self, now: int) -> Document:
        with self._locked_tx() as db:
            anchor = nacl.signing.SigningKey(self._key("anchor")[0])
            ctis = [
                bytes(r[0])
                for r in db.execute("SELECT cti FROM credentials WHERE revoked IS NOT NULL")
            ]
            # A revoked badge is listed while it could still open a kiosk.
            ctis += [
                bytes(r[0])
                for r in db.execute(
                    "SELECT bid FROM badges WHERE revoked IS NOT NULL AND exp >= ?",
                    (now - badge.CLOCK_SKEW_S,),
                )
            ]
            version = self._next_version(db, REVOCATIONS)
            raw = issuer.sign_revocations(
                anchor,
                version=version,
                issued_at=now,
                next_update=now + LIST_LIFETIME_S,
                revoked_ctis=ctis,
            )
            return self._insert_document(db, REVOCATIONS, version, raw, now)

    def current_document(self, kind: str) -> Document | None:
        with self._lock:
            row = self._db.execute(
                "SELECT version, raw, etag FROM documents WHERE kind=? ORDER BY version DESC",
                (kind,),
            ).fetchone()
        return None if row is None else Document(kind, row[0], bytes(row[1]), row[2])

    def document(self, kind: str, version: int) -> Document | None:
        with self._lock:
            row = self._db.execute(
                "SELECT raw, etag FROM documents WHERE kind=? AND version=?", (kind, version)
            ).fetchone()
        return None if row is None else Document(kind, version, bytes(row[0]), row[1])

    def roll_back(self, kind: str, to_version: int) -> None:
        """Fault hook: forget every version above `to_version`, as a portal restored from an old
        backup would. Kiosks must refuse what it then serves."""
        with self._locked_tx() as db:
            db.execute("DELETE FROM documents WHERE kind=? AND version>?", (kind, to_version))

    def rotate_issuer(self, now: int) -> Document:
        """A new issuer key signs from now on; the old one stays listed (its window closed now)
        while a credential it signed can still be valid (`publish_trust_list`)."""
        signer = issuer.signing_key()
        with self._locked_tx() as db:
            db.execute("UPDATE keys SET retired=? WHERE role='issuer' AND retired IS NULL", (now,))
            db.execute(
                "INSERT INTO keys (role, secret, public, iss, nbf, exp, created)"
                " VALUES ('issuer', ?, ?, ?, ?, ?, ?)",
                (
                    bytes(signer),
                    issuer.public_bytes(signer),
                    demo.ISS,
                    now - 60,
                    now + ISSUER_KEY_LIFETIME_S,
                    now,
                ),
            )
        return self.publish_trust_list(now)

    # --- credentials ------------------------------------------------------------------------

    def mint(self, citizen: Citizen, now: int, valid_s: int = 365 * 86400) -> tuple[str, bytes]:
        """A credential signed by the current issuer key: (QR text, cti)."""
        cti = secrets.token_bytes(16)
        with self._locked_tx() as db:
            secret, _ = self._key("issuer")
            db.execute(
                "INSERT INTO credentials (cti, id_number, name, issued, exp)"
                " VALUES (?, ?, ?, ?, ?)",
                (cti, citizen.id_number, citizen.name, now, now + valid_s),
            )
        text = issuer.mint_credential(
            nacl.signing.SigningKey(secret),
            citizen,
            iss=demo.ISS,
            iat=now,
            exp=now + valid_s,
            cti=cti,
        )
        return text, cti

    def issue_badge(
        self, technician: str, *, device: str | None, site: str | None, now: int, hours: float
    ) -> tuple[str, bytes]:
        """A technician badge signed with the anchor key (devportal/badge.py): (text, badge
        id). Raises ValueError for a badge the kiosk would refuse (no place, too long, bad
        names, a device this portal never enrolled)."""
        if device is not None and self.device(device) is None:
            raise ValueError(f"no device {device} is enrolled here")
        bid = secrets.token_bytes(badge.BID_LENGTH)
        body = badge.badge_body(
            technician, bid=bid, device=device, site=site, not_before=now, hours=hours
        )
        with self._locked_tx() as db:
            secret, _ = self._key("anchor")
            db.execute(
                "INSERT INTO badges (bid, technician, device_id, site, nbf, exp)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (bid, technician, device, site, body["nbf"], body["exp"]),
            )
        return badge.badge_text(nacl.signing.SigningKey(secret), body), bid

    def revoke_badge(self, bid: bytes, now: int) -> Document | None:
        """Revoke a badge before its exp: the next revocation list names it. None: no such
        badge is held here."""
        with self._locked_tx() as db:
            done = db.execute(
                "UPDATE badges SET revoked=? WHERE bid=? AND revoked IS NULL", (now, bid)
            ).rowcount
        return self.publish_revocations(now) if done else None

    def revoke_credential(self, cti: bytes, now: int) -> Document:
        with self._locked_tx() as db:
            db.execute(
                "INSERT INTO credentials (cti, id_number, name, issued, exp, revoked)"
                " VALUES (?, '', '', 0, 0, ?)"
                " ON CONFLICT (cti) DO UPDATE SET revoked=excluded.revoked",
                (cti, now),
            )
        return self.publish_revocations(now)

    # --- enrolment and devices --------------------------------------------------------------

    def create_enrolment_code(
        self, now: int, ttl_s: int = 86400, uses: int = 1, site: str | None = None
    ) -> str:
        """A code enrolling `uses` kiosks; with `site`, the enrolment document binds each of
        them to that site (what a site badge opens)."""
        code = new_enrolment_code()
        with self._locked_tx() as db:
            db.execute(
                "INSERT INTO enrolment_codes (code, expires, uses_left, created, site)"
                " VALUES (?, ?, ?, ?, ?)",
                (code, now + ttl_s, uses, now, site),
            )
        return code

    def enrol(self, code: str, public_key: bytes, name: str, site: str, now: int) -> Enrolled:
        """Enrol a device key with a code. A refused code gets one answer whatever the reason
        (unknown, expired, used up), so guessing learns nothing; the log says which."""
        normalised = code.strip().upper().replace(" ", "")
        with self._locked_tx() as db:
            row = db.execute(
                "SELECT expires, uses_left, site FROM enrolment_codes WHERE code=?", (normalised,)
            ).fetchone()
            why = (
                "unknown"
                if row is None
                else "expired"
                if row[0] <= now
                else "used up"
                if row[1] <= 0
                else None
            )
            if why is not None:
                log.info("enrolment refused: code %s", why)
                raise PortalError(403, ENROLMENT_REFUSED, "the enrolment code is not valid")
            held = db.execute(
                "SELECT device_id FROM devices WHERE public_key=?", (public_key,)
            ).fetchone()
            if held is not None:
                raise PortalError(409, "device_key_enrolled", f"key already enrolled as {held[0]}")
            device_id = "kd-" + secrets.token_hex(8)
            bound_site = row[2]  # the operator's, never the kiosk's own claim (`site`)
            db.execute(
                "UPDATE enrolment_codes SET uses_left=uses_left-1 WHERE code=?", (normalised,)
            )
            db.execute(
                "INSERT INTO devices (device_id, public_key, name, site, enrolled)"
                " VALUES (?, ?, ?, ?, ?)",
                (device_id, public_key, name, bound_site or site, now),
            )
            anchor_secret, anchor = self._key("anchor")
            document = issuer.sign_enrolment(
                nacl.signing.SigningKey(anchor_secret),
                device_id=device_id,
                device_key=public_key,
                portal_key=self._key("portal")[1],
                seal_key=self._key("seal")[1],
                site=bound_site,
                issued_at=now,
            )
        return Enrolled(device_id, document, anchor)

    def device(self, device_id: str) -> Device | None:
        with self._lock:
            row = self._db.execute(
                "SELECT device_id, public_key, name, site, revoked FROM devices WHERE device_id=?",
                (device_id,),
            ).fetchone()
        return None if row is None else Device(row[0], bytes(row[1]), row[2], row[3], row[4])

    def revoke_device(self, device_id: str, now: int) -> bool:
        with self._locked_tx() as db:
            return (
                db.execute(
                    "UPDATE devices SET revoked=? WHERE device_id=? AND revoked IS NULL",
                    (now, device_id),
                ).rowcount
                == 1
            )

    def use_nonce(self, device_id: str, nonce: str, created: int, now: int) -> bool:
        """Record a request nonce; False when this device has used it before (a replay)."""
        with self._locked_tx() as db:
            db.execute("DELETE FROM nonces WHERE created < ?", (now - NONCE_KEEP_S,))
            try:
                db.execute(
                    "INSERT INTO nonces (device_id, nonce, created) VALUES (?, ?, ?)",
                    (device_id, nonce, created),
                )
            except sqlite3.IntegrityError:
                return False
        return True

    # --- ingest -------------------------------------------------------------------------------

    def ingest(
        self,
        device_id: str,
        idem_key: str,
        digest: str,
        events: Sequence[tuple[str, str]],
        links: Sequence[Link],
        checkpoint: Head,
        now: int,
    ) -> dict[str, Any]:
        """Store a batch of (event id, JSON body), whose chain `links` and `checkpoint` fit
        what the portal holds (devportal/chain.py), in one transaction. The answer names every
        event the portal now holds, new or already stored, in a receipt signed with the
        portal's key. A repeated idempotency key gets the first answer again. A segment that
        does not fit is refused (PortalError 409 with the chain code) and flagged."""
        try:
            return self._ingest(device_id, idem_key, digest, events, links, checkpoint, now)
        except ChainRefused as e:
            self.flag(device_id, e.code, str(e), now)
            log.warning("device %s: %s: %s", device_id, e.code, e)
            raise PortalError(409, e.code, str(e)) from None

    def _ingest(
        self,
        device_id: str,
        idem_key: str,
        digest: str,
        events: Sequence[tuple[str, str]],
        links: Sequence[Link],
        checkpoint: Head,
        now: int,
    ) -> dict[str, Any]:
        with self._locked_tx() as db:
            held = db.execute(
                "SELECT digest, response FROM batches WHERE device_id=? AND idem_key=?",
                (device_id, idem_key),
            ).fetchone()
            if held is not None:
                if held[0] != digest:
                    raise PortalError(
                        409, "idempotency_key_reused", "this idempotency key came with another body"
                    )
                return {**json.loads(held[1]), "replayed": True}
            epoch, fresh = self._place_segment(db, device_id, links, checkpoint, now)
            before = db.total_changes
            db.executemany(
                "INSERT OR IGNORE INTO events (device_id, event_id, body, received)"
                " VALUES (?, ?, ?, ?)",
                [(device_id, eid, body, now) for eid, body in events],
            )
            stored = db.total_changes - before
            duplicates = len(events) - stored
            if duplicates:
                db.execute(
                    "INSERT INTO counters (name, value) VALUES ('duplicates_suppressed', ?)"
                    " ON CONFLICT (name) DO UPDATE SET value=value+excluded.value",
                    (duplicates,),
                )
            db.executemany(
                "INSERT OR IGNORE INTO chain_rows"
                " (device_id, epoch, seq, prev_hash, row_hash, event_id) VALUES (?, ?, ?, ?, ?, ?)",
                [(device_id, epoch, r.seq, r.prev_hash, r.row_hash, r.event_id) for r in links],
            )
            db.execute(
                "INSERT INTO checkpoints (device_id, seq, row_hash, received, epoch)"
                " VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (device_id) DO UPDATE SET seq=excluded.seq,"
                " row_hash=excluded.row_hash, received=excluded.received, epoch=excluded.epoch"
                " WHERE ? OR excluded.seq >= checkpoints.seq",
                (device_id, checkpoint.seq, checkpoint.row_hash, now, epoch, fresh),
            )
            acknowledged = [eid for eid, _ in events]
            receipt = issuer.sign_receipt(
                nacl.signing.SigningKey(self._key("portal")[0]),
                device_id=device_id,
                batch=idem_key,
                events=acknowledged,
                checkpoint_seq=checkpoint.seq,
                checkpoint_hash=checkpoint.row_hash,
                received_at=now,
            )
            response = {
                "batch": idem_key,
                "acknowledged": acknowledged,
                "stored": stored,
                "duplicates": duplicates,
                "receipt": base64.b64encode(receipt).decode(),
            }
            db.execute("DELETE FROM batches WHERE received < ?", (now - BATCH_KEEP_S,))
            db.execute(
                "INSERT INTO batches (device_id, idem_key, digest, response, received)"
                " VALUES (?, ?, ?, ?, ?)",
                (device_id, idem_key, digest, json.dumps(response), now),
            )
            db.execute("UPDATE devices SET last_seen=? WHERE device_id=?", (now, device_id))
        return {**response, "replayed": False}

    def _place_segment(
        self,
        db: sqlite3.Connection,
        device_id: str,
        links: Sequence[Link],
        checkpoint: Head,
        now: int,
    ) -> tuple[int, bool]:
        """Which chain (epoch) the segment belongs to, and whether it is a new one. Raises
        ChainRefused for a segment that does not fit; flags a restarted chain."""
        chain.check_segment(links)
        epoch = db.execute(
            "SELECT MAX(epoch) FROM chain_rows WHERE device_id=?", (device_id,)
        ).fetchone()[0]
        if epoch is None:
            return 1, True

        def held(seq: int) -> Link | None:
            row = db.execute(
                "SELECT seq, prev_hash, row_hash, event_id FROM chain_rows"
                " WHERE device_id=? AND epoch=? AND seq=?",
                (device_id, epoch, seq),
            ).fetchone()
            return None if row is None else Link(*row)

        low, high = db.execute(
            "SELECT MIN(seq), MAX(seq) FROM chain_rows WHERE device_id=? AND epoch=?",
            (device_id, epoch),
        ).fetchone()
        if chain.is_restart(links, held(1), held_any=True):
            self._flag(
                db,
                device_id,
                "chain_restarted",
                f"a new chain (epoch {epoch + 1}) starts at seq 1, event {links[0].event_id};"
                f" the previous one is held up to seq {high}",
                now,
            )
            log.warning("device %s: its journal chain restarted at seq 1", device_id)
            return epoch + 1, True
        head = db.execute(
            "SELECT seq, row_hash FROM checkpoints WHERE device_id=? AND epoch=?",
            (device_id, epoch),
        ).fetchone()
        chain.check_against_held(
            links, checkpoint, held, (low, high), None if head is None else Head(*head)
        )
        return epoch, False

    def flag(self, device_id: str, kind: str, detail: str, now: int) -> None:
        with self._locked_tx() as db:
            self._flag(db, device_id, kind, detail, now)

    @staticmethod
    def _flag(db: sqlite3.Connection, device_id: str, kind: str, detail: str, now: int) -> None:
        """Something the operator must look at about a device's chain (`admin show`)."""
        db.execute(
            "INSERT INTO chain_flags (device_id, kind, detail, first, last, count)"
            " VALUES (?, ?, ?, ?, ?, 1) ON CONFLICT (device_id, kind, detail)"
            " DO UPDATE SET last=excluded.last, count=count+1",
            (device_id, kind, detail, now, now),
        )

    def chain_flags(self, device_id: str) -> list[dict[str, Any]]:
        with self._lock:
            rows = self._db.execute(
                "SELECT kind, detail, first, last, count FROM chain_flags WHERE device_id=?"
                " ORDER BY first",
                (device_id,),
            ).fetchall()
        return [
            {"kind": r[0], "detail": r[1], "first": r[2], "last": r[3], "count": r[4]} for r in rows
        ]

    def heartbeat(self, device_id: str, health: Mapping[str, Any], now: int) -> None:
        with self._locked_tx() as db:
            db.execute(
                "UPDATE devices SET last_seen=?, heartbeat=? WHERE device_id=?",
                (now, json.dumps({**health, "received": now}), device_id),
            )

    # --- what the admin sees ------------------------------------------------------------------

    def event_ids(self, device_id: str | None = None) -> list[tuple[str, str]]:
        with self._lock:
            sql = "SELECT device_id, event_id FROM events"
            rows = (
                self._db.execute(sql + " WHERE device_id=?", (device_id,))
                if device_id
                else self._db.execute(sql)
            ).fetchall()
        return [(r[0], r[1]) for r in rows]

    def event_bodies(self, device_id: str) -> list[dict[str, Any]]:
        """A device's stored events as it sent them, in event id order."""
        with self._lock:
            rows = self._db.execute(
                "SELECT body FROM events WHERE device_id=? ORDER BY event_id", (device_id,)
            ).fetchall()
        return [json.loads(r[0]) for r in rows]

    def event_count(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM events").fetchone()[0])

    def counter(self, name: str) -> int:
        with self._lock:
            row = self._db.execute("SELECT value FROM counters WHERE name=?", (name,)).fetchone()
        return int(row[0]) if row else 0

    def devices(self) -> list[dict[str, Any]]:
        with self._lock:
            rows = self._db.execute(
                "SELECT d.device_id, d.name, d.site, d.enrolled, d.revoked, d.last_seen,"
                " d.heartbeat, (SELECT COUNT(*) FROM events e WHERE e.device_id=d.device_id),"
                " c.seq, c.row_hash FROM devices d"
                " LEFT JOIN checkpoints c ON c.device_id=d.device_id ORDER BY d.enrolled"
            ).fetchall()
        return [
            {
                "device_id": r[0],
                "name": r[1],
                "site": r[2],
                "enrolled": r[3],
                "revoked": r[4],
                "last_seen": r[5],
                "heartbeat": json.loads(r[6]) if r[6] else None,
                "events": r[7],
                "checkpoint": {"seq": r[8], "row_hash": r[9]} if r[8] else None,
                "chain_flags": self.chain_flags(r[0]),
            }
            for r in rows
        ]

    def summary(self) -> dict[str, Any]:
        docs = {k: self.current_document(k) for k in DOCUMENT_KINDS}
        with self._lock:
            codes = self._db.execute(
                "SELECT code, expires, uses_left FROM enrolment_codes ORDER BY created DESC LIMIT 5"
            ).fetchall()
        return {
            "anchor_fingerprint": self.anchor_fingerprint(),
            "documents": {k: d.version if d else None for k, d in docs.items()},
            "devices": self.devices(),
            "events": self.event_count(),
            "duplicates_suppressed": self.counter("duplicates_suppressed"),
            "enrolment_codes": [{"code": c, "expires": e, "uses_left": u} for c, e, u in codes],
        }


def now_s() -> int:
    return int(time.time())

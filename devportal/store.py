"""The reference portal's storage: one SQLite file holding keys, documents, devices and events.

One connection behind a lock: the portal is a reference, and SQLite serialises writers anyway.
WAL with synchronous=FULL, because an acknowledgement promises the batch is on disk.
Schema version in `PRAGMA user_version`.
"""

from __future__ import annotations

import hashlib
import json
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

from devportal import badge, demo, issuer
from devportal.issuer import Citizen, ListedKey
from verifier.documents import anchor_fingerprint

SCHEMA_VERSION = 1
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


class PortalError(Exception):
    """The portal refused a request; `code` is the contract's error code, `status` the HTTP one."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code = status, code


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
    seal_public_key: bytes
    anchor: bytes


def etag_for(raw: bytes) -> str:
    return '"' + hashlib.sha256(raw).hexdigest()[:32] + '"'


def new_enrolment_code() -> str:
    alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud and typed
    raw = "".join(secrets.choice(alphabet) for _ in range(12))
    return "-".join(raw[i : i + 4] for i in range(0, 12, 4))


class PortalStore:
    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(
            self.data_dir / DB_FILE, isolation_level=None, check_same_thread=False, timeout=10
        )
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        if self._db.execute("PRAGMA user_version").fetchone()[0] == 0:
            with self._tx():
                for statement in _SCHEMA.split(";")[:-1]:
                    self._db.execute(statement)
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
            seal = nacl.public.PrivateKey(hashlib.sha256(f"{seed}:seal".encode()).digest())
            demo_set = demo.build(seed)
            first_lists = [(TRUST_LIST, demo_set.trust_list), (REVOCATIONS, demo_set.revocations)]
            nbf, exp = demo.KEY_NBF, demo.KEY_EXP
        else:
            anchor, signer = issuer.signing_key(), issuer.signing_key()
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
        """A new trust list naming every issuer key still inside its validity window."""
        with self._locked_tx() as db:
            anchor = nacl.signing.SigningKey(self._key("anchor")[0])
            keys = [
                ListedKey(bytes(pub), iss, nbf, exp)
                for pub, iss, nbf, exp in db.execute(
                    "SELECT public, iss, nbf, exp FROM keys WHERE role='issuer' AND exp > ?"
                    " ORDER BY id",
                    (now,),
                )
            ]
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
        """A new issuer key signs from now on; the old one stays listed until its `exp`, so
        credentials it signed keep verifying."""
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
        self, technician: str, *, kiosk: str | None, site: str | None, now: int, hours: float
    ) -> str:
        """A technician badge signed with the anchor key (devportal/badge.py). Raises
        ValueError for a badge the kiosk would refuse (no place, too long, bad names)."""
        body = badge.badge_body(technician, kiosk=kiosk, site=site, not_before=now, hours=hours)
        with self._lock:
            secret, _ = self._key("anchor")
        return badge.badge_text(nacl.signing.SigningKey(secret), body)

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

    def create_enrolment_code(self, now: int, ttl_s: int = 86400, uses: int = 1) -> str:
        code = new_enrolment_code()
        with self._locked_tx() as db:
            db.execute(
                "INSERT INTO enrolment_codes (code, expires, uses_left, created)"
                " VALUES (?, ?, ?, ?)",
                (code, now + ttl_s, uses, now),
            )
        return code

    def enrol(self, code: str, public_key: bytes, name: str, site: str, now: int) -> Enrolled:
        normalised = code.strip().upper().replace(" ", "")
        with self._locked_tx() as db:
            row = db.execute(
                "SELECT expires, uses_left FROM enrolment_codes WHERE code=?", (normalised,)
            ).fetchone()
            if row is None:
                raise PortalError(403, "enrolment_code_unknown", "no such enrolment code")
            if row[0] <= now:
                raise PortalError(403, "enrolment_code_expired", "the enrolment code has expired")
            if row[1] <= 0:
                raise PortalError(403, "enrolment_code_used", "the enrolment code is used up")
            held = db.execute(
                "SELECT device_id FROM devices WHERE public_key=?", (public_key,)
            ).fetchone()
            if held is not None:
                raise PortalError(409, "device_key_enrolled", f"key already enrolled as {held[0]}")
            device_id = "kd-" + secrets.token_hex(8)
            db.execute(
                "UPDATE enrolment_codes SET uses_left=uses_left-1 WHERE code=?", (normalised,)
            )
            db.execute(
                "INSERT INTO devices (device_id, public_key, name, site, enrolled)"
                " VALUES (?, ?, ?, ?, ?)",
                (device_id, public_key, name, site, now),
            )
            seal_public = self._key("seal")[1]
            anchor = self._key("anchor")[1]
        return Enrolled(device_id, seal_public, anchor)

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
        checkpoint: Mapping[str, Any] | None,
        now: int,
    ) -> dict[str, Any]:
        """Store a batch of (event id, JSON body) in one transaction; the answer names every
        event the portal now holds, new or already stored. A repeated idempotency key gets the
        first answer again."""
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
            if checkpoint is not None:
                db.execute(
                    "INSERT INTO checkpoints (device_id, seq, row_hash, received)"
                    " VALUES (?, ?, ?, ?)"
                    " ON CONFLICT (device_id) DO UPDATE SET seq=excluded.seq,"
                    " row_hash=excluded.row_hash, received=excluded.received"
                    " WHERE excluded.seq >= checkpoints.seq",
                    (device_id, checkpoint["seq"], checkpoint["row_hash"], now),
                )
            response = {
                "batch": idem_key,
                "acknowledged": [eid for eid, _ in events],
                "stored": stored,
                "duplicates": duplicates,
            }
            db.execute("DELETE FROM batches WHERE received < ?", (now - BATCH_KEEP_S,))
            db.execute(
                "INSERT INTO batches (device_id, idem_key, digest, response, received)"
                " VALUES (?, ?, ?, ?, ?)",
                (device_id, idem_key, digest, json.dumps(response), now),
            )
            db.execute("UPDATE devices SET last_seen=? WHERE device_id=?", (now, device_id))
        return {**response, "replayed": False}

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

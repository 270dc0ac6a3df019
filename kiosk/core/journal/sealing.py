"""The journal's keys: sealing to the portal, the site pseudonym, the journal's signing key.

- Personal data (ID number, name, a counter's reference) is sealed with SealedBox to the portal's
  public encryption key: the kiosk can write it but never read it back.
- Before enrolment there is no portal key. The journal then stores nothing personal at all
  (fail closed on privacy) and says so in a `journal.opened` row; it never falls back to plaintext.
- A keyed BLAKE2b pseudonym of the ID number, with a per-site secret, serves anti-passback and
  counts. The secret is made on first use unless enrolment provisioned it. The credential's
  revocation hash is kept keyed with the same secret (`rev_hash`): anyone with a photo of a QR
  code can compute the bare hash, and would find that person's rows at every site with it.
- An Ed25519 key signs retention markers; its public half is the chain's first row.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import nacl.exceptions
import nacl.public
import nacl.signing

# Enrolment writes the portal's X25519 public key there (64 hex characters).
from portal_sync.enrolment import seal_key_path
from verifier.durable_write import write_atomically

# A lane alone keys its pseudonyms with its own secret (the file keeps its old name).
LANE_SECRET_FILE = Path("journal") / "site-secret.key"
SIGNING_KEY_FILE = Path("journal") / "journal-signing.key"
_PSEUDONYM_PERSON = b"cds-pseudonym-1"  # BLAKE2b personalisation, at most 16 bytes
_CREDENTIAL_PERSON = b"cds-rev-hash-1"


class Sealer:
    """Seals small JSON payloads to the portal, or refuses to keep them when there is no key."""

    def __init__(self, portal_key: bytes | None) -> None:
        self._box = nacl.public.SealedBox(nacl.public.PublicKey(portal_key)) if portal_key else None
        self.fingerprint = hashlib.sha256(portal_key).hexdigest()[:16] if portal_key else None

    @property
    def enabled(self) -> bool:
        return self._box is not None

    def seal(self, payload: Mapping[str, str]) -> bytes | None:
        if self._box is None:
            return None  # nothing personal is kept without the portal's key
        text = json.dumps(dict(payload), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return bytes(self._box.encrypt(text.encode()))


class Pseudonyms:
    def __init__(self, site_secret: bytes) -> None:
        if len(site_secret) != 32:
            raise ValueError("the site secret must be 32 bytes")
        self._secret = site_secret

    def of(self, id_number: str, at_ms: int | None = None) -> bytes:
        return hashlib.blake2b(
            id_number.encode(), key=self._secret, digest_size=16, person=_PSEUDONYM_PERSON
        ).digest()

    def of_credential(self, revocation_hash: bytes, at_ms: int | None = None) -> bytes:
        """The journal's `rev_hash`: the credential's revocation hash keyed with the site secret,
        so it identifies one credential at this site and nothing elsewhere."""
        return hashlib.blake2b(
            revocation_hash, key=self._secret, digest_size=16, person=_CREDENTIAL_PERSON
        ).digest()

    def aliases(self, id_number: str, at_ms: int | None = None) -> tuple[bytes, ...]:
        """Other pseudonyms the same person holds now (a site's earlier epochs); none here."""
        return ()


@dataclass(frozen=True)
class JournalKeys:
    sealer: Sealer
    pseudonyms: Pseudonyms
    signing_key: nacl.signing.SigningKey
    portal_key_problem: str | None = None  # why there is no sealing key, for the opened row


def read_portal_key(path: Path) -> tuple[bytes | None, str | None]:
    """(key, None), or (None, why not). A bad file counts as no key: fail closed."""
    try:
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return None, "no portal key yet (not enrolled)"
    except (OSError, UnicodeDecodeError) as e:
        return None, f"portal key unreadable: {e}"
    try:
        key = bytes.fromhex(text)
    except ValueError:
        return None, "portal key is not hex"
    if len(key) != nacl.public.PublicKey.SIZE:
        return None, f"portal key is {len(key)} bytes, not 32"
    return key, None


def _secret_file(path: Path) -> bytes:
    """32 random bytes kept in `path`, made durably on first use and never replaced."""
    try:
        secret = path.read_bytes()
    except FileNotFoundError:
        with contextlib.suppress(FileExistsError):  # another process made it first: read its
            write_atomically(path, os.urandom(32), mode=0o600, exclusive=True)
        secret = path.read_bytes()
    if len(secret) != 32:
        raise ValueError(f"{path} must hold 32 bytes, not {len(secret)}")
    return secret


def load_keys(data_dir: Path, antipassback_window_s: int = 4 * 3600) -> JournalKeys:
    """The journal's keys from the data dir, making the local ones on first use (OSError if not).
    A site secret provisioned at enrolment keys the pseudonyms (kiosk/core/site/secret.py);
    without one, the lane's own secret does, as a lane alone."""
    from kiosk.core.site.secret import SitePseudonyms, read_site_secret

    portal_key, problem = read_portal_key(seal_key_path(data_dir))
    site_secret = read_site_secret(data_dir)
    pseudonyms = (
        SitePseudonyms(site_secret, antipassback_window_s * 1000)
        if site_secret is not None
        else Pseudonyms(_secret_file(data_dir / LANE_SECRET_FILE))
    )
    return JournalKeys(
        sealer=Sealer(portal_key),
        pseudonyms=pseudonyms,
        signing_key=nacl.signing.SigningKey(_secret_file(data_dir / SIGNING_KEY_FILE)),
        portal_key_problem=problem,
    )


def verify_signature(public_key: bytes, message: bytes, signature: bytes) -> bool:
    try:
        nacl.signing.VerifyKey(public_key).verify(message, signature)
    except (nacl.exceptions.BadSignatureError, ValueError, TypeError):
        return False
    return True

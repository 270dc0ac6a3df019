"""Enrolment: the kiosk makes its device key, registers the public half with an enrolment code,
and learns its device id, the portal's sealing key and the trust anchor.

Two steps, because a technician must confirm the anchor's fingerprint before the kiosk trusts
it: `request_enrolment()` talks to the portal and returns an offer; `offer.commit()` writes the
files. Nothing is written before the commit.

Files, under the data dir:

    portal/device.key   the device's Ed25519 private key (hex seed), mode 0600
    portal/device.json  device id, portal URL, enrolment time, anchor fingerprint (written last:
                        its presence means "enrolled")
    portal/seal.pub     the portal's X25519 public key (hex): the journal seals personal data
                        to it with nacl.public.SealedBox
    <trust dir>/anchor.hex   the trust anchor, through the verifier's trust store
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import nacl.exceptions
import nacl.public
import nacl.signing

from portal_sync.client import PortalClient
from portal_sync.errors import NotEnrolled, Rejected, Transient
from portal_sync.state import STATE_FILE
from verifier.documents import anchor_fingerprint, anchor_from_hex
from verifier.errors import TrustStoreError
from verifier.trust_store import (
    ANCHOR_FILE,
    REVOCATIONS_FILE,
    TRUST_LIST_FILE,
    read_anchor,
    write_anchor,
    write_atomically,
)

PORTAL_DIR = "portal"
DEVICE_KEY_FILE = "device.key"
DEVICE_FILE = "device.json"
SEAL_KEY_FILE = "seal.pub"
ENROL_PROOF_CONTEXT = b"cds-enrol-v1:"


def portal_dir(data_dir: Path) -> Path:
    return Path(data_dir) / PORTAL_DIR


def seal_key_path(data_dir: Path) -> Path:
    """Where the journal reads the portal's public sealing key."""
    return portal_dir(data_dir) / SEAL_KEY_FILE


def state_path(data_dir: Path) -> Path:
    return portal_dir(data_dir) / STATE_FILE


@dataclass(frozen=True)
class DeviceIdentity:
    device_id: str
    portal_url: str
    signing_key: nacl.signing.SigningKey
    anchor_fingerprint: str

    @classmethod
    def load(cls, data_dir: Path) -> DeviceIdentity:
        folder = portal_dir(data_dir)
        try:
            info = json.loads((folder / DEVICE_FILE).read_text(encoding="utf-8"))
            seed = bytes.fromhex((folder / DEVICE_KEY_FILE).read_text(encoding="ascii").strip())
            key = nacl.signing.SigningKey(seed)
            return cls(info["device_id"], info["portal_url"], key, info["anchor_fingerprint"])
        except FileNotFoundError:
            raise NotEnrolled(code="not_enrolled") from None
        except (OSError, ValueError, KeyError, TypeError, nacl.exceptions.CryptoError) as e:
            raise NotEnrolled(
                f"the enrolment files in {folder} are damaged ({e}): enrol again",
                code="enrolment_damaged",
            ) from None


def read_seal_key(data_dir: Path) -> nacl.public.PublicKey:
    """The portal's sealing key, for the journal. Raises NotEnrolled when absent or damaged."""
    try:
        return nacl.public.PublicKey(
            bytes.fromhex(seal_key_path(data_dir).read_text(encoding="ascii").strip())
        )
    except FileNotFoundError:
        raise NotEnrolled(code="not_enrolled") from None
    except (OSError, ValueError, nacl.exceptions.CryptoError) as e:
        raise NotEnrolled(
            f"{seal_key_path(data_dir)} is damaged: {e}", code="enrolment_damaged"
        ) from None


@dataclass(frozen=True)
class EnrolmentOffer:
    """What the portal answered; nothing is trusted or written until `commit`."""

    portal_url: str
    device_id: str
    anchor: bytes
    seal_public_key: bytes
    device_key: nacl.signing.SigningKey

    @property
    def anchor_fingerprint(self) -> str:
        """Computed here from the anchor, never taken from the portal's text."""
        return anchor_fingerprint(self.anchor)

    def commit(
        self, data_dir: Path, trust_dir: Path, *, replace_anchor: bool = False
    ) -> DeviceIdentity:
        """Write the device key, the sealing key and the anchor; `device.json` last.

        A different anchor already pinned is refused unless `replace_anchor`: then the lists
        signed by the old anchor are removed too, since they would no longer verify.
        """
        try:
            held = read_anchor(trust_dir)
        except TrustStoreError:
            held = None
        if held is not None and held != self.anchor:
            if not replace_anchor:
                raise Rejected(
                    f"this kiosk already trusts the anchor {anchor_fingerprint(held)}; the portal"
                    f" offers {self.anchor_fingerprint}. Enrol with --replace-anchor to change it.",
                    code="anchor_differs",
                )
            for name in (TRUST_LIST_FILE, REVOCATIONS_FILE, ANCHOR_FILE):
                (Path(trust_dir) / name).unlink(missing_ok=True)
        folder = portal_dir(data_dir)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / DEVICE_FILE).unlink(missing_ok=True)  # "not enrolled" until the end
        key_path = folder / DEVICE_KEY_FILE
        write_atomically(key_path, bytes(self.device_key).hex().encode() + b"\n")
        os.chmod(key_path, 0o600)  # mkstemp already made it 0600; say so where it matters
        write_atomically(folder / SEAL_KEY_FILE, self.seal_public_key.hex().encode() + b"\n")
        write_anchor(trust_dir, self.anchor)
        state_path(data_dir).unlink(missing_ok=True)  # ETags and backoff of another portal
        info = {
            "device_id": self.device_id,
            "portal_url": self.portal_url,
            "anchor_fingerprint": self.anchor_fingerprint,
        }
        write_atomically(folder / DEVICE_FILE, json.dumps(info, indent=1).encode())
        return DeviceIdentity(
            self.device_id, self.portal_url, self.device_key, self.anchor_fingerprint
        )


def request_enrolment(
    client: PortalClient, code: str, *, name: str = "", site: str = ""
) -> EnrolmentOffer:
    """Register a fresh device key with the enrolment code. Raises EnrolmentRefused (code
    unknown, expired, used up), Transient, or Rejected."""
    key = nacl.signing.SigningKey.generate()
    code = code.strip()
    proof = key.sign(ENROL_PROOF_CONTEXT + code.encode()).signature
    body = json.dumps(
        {
            "code": code,
            "device_public_key": bytes(key.verify_key).hex(),
            "proof": proof.hex(),
            "name": name,
            "site": site,
        }
    ).encode()
    response = client.post_json("/enrol", body, what="enrolment")
    answer = client.json(response, "enrolment")
    try:
        anchor = anchor_from_hex(str(answer["trust_anchor"]))
        seal = bytes.fromhex(str(answer["seal_public_key"]))
        nacl.public.PublicKey(seal)
        device_id = str(answer["device_id"])
    except (KeyError, ValueError, nacl.exceptions.CryptoError) as e:
        raise Transient(
            f"enrolment: the portal's answer is incomplete: {e}", code="bad_response"
        ) from None
    if not device_id or len(device_id) > 64:
        raise Transient("enrolment: the portal's device id is not usable", code="bad_response")
    return EnrolmentOffer(client.base_url, device_id, anchor, seal, key)

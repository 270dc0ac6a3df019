"""Enrolment: the kiosk makes its device key, registers the public half with an enrolment code,
and receives one document signed by the trust anchor naming its device id and the keys it will
rely on: the portal's sealing key and the portal's receipt-signing key (docs/sync.md).

Two steps, because a technician must confirm the anchor's fingerprint before the kiosk trusts
it: `request_enrolment()` talks to the portal and returns an offer holding the anchor and the
document *unverified*; `offer.commit()` verifies the document under the confirmed anchor, checks
it was issued to this device's key, and only then writes the files. The JSON around the document
is never trusted: an on-path proxy can change it, but not the anchor's signature.

Files, under the data dir:

    portal/device.key      the device's Ed25519 private key (hex seed), mode 0600
    portal/enrolment.cose  the enrolment document, as the anchor signed it
    portal/device.json     device id, portal URL, anchor fingerprint, portal key, site, all
                           from the verified document (written last: its presence means
                           "enrolled")
    portal/seal.pub        the portal's X25519 public key (hex): the journal seals personal data
                           to it with nacl.public.SealedBox
    portal/site-secret.key the site secret (32 bytes, 0600), opened from the document; only when
                           the code named a site: every lane of the site keys pseudonyms with it
    <trust dir>/anchor.hex   the trust anchor, through the verifier's trust store
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import nacl.exceptions
import nacl.public
import nacl.signing

from portal_sync.errors import NotEnrolled, Rejected, Transient
from portal_sync.state import STATE_FILE
from verifier.documents import Enrolment, anchor_fingerprint, anchor_from_hex, parse_enrolment
from verifier.durable_write import write_atomically
from verifier.errors import DocumentError, ForgedDocument, TrustStoreError
from verifier.trust_store import (
    ANCHOR_FILE,
    REVOCATIONS_FILE,
    TRUST_LIST_FILE,
    read_anchor,
    write_anchor,
)

PORTAL_DIR = "portal"
DEVICE_KEY_FILE = "device.key"
DEVICE_FILE = "device.json"
SEAL_KEY_FILE = "seal.pub"
ENROLMENT_FILE = "enrolment.cose"
SITE_SECRET_FILE = "site-secret.key"  # the site bus's secret, opened (docs/site.md)
ENROL_PROOF_CONTEXT = b"cds-enrol-v1:"

if TYPE_CHECKING:  # requests loads only when a kiosk talks to a portal
    from portal_sync.client import PortalClient


def portal_dir(data_dir: Path) -> Path:
    return Path(data_dir) / PORTAL_DIR


def site_secret_path(data_dir: Path) -> Path:
    """Where enrolment keeps the site's secret, opened; absent for a lane alone."""
    return portal_dir(data_dir) / SITE_SECRET_FILE


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
    # Ed25519: only receipts it signed acknowledge events. None: enrolled by a version without
    # the signed enrolment document; such a kiosk uploads nothing until it enrols again.
    portal_key: bytes | None
    site: str | None = None  # the site the anchor bound this device to, if any

    @classmethod
    def load(cls, data_dir: Path) -> DeviceIdentity:
        folder = portal_dir(data_dir)
        try:
            info = json.loads((folder / DEVICE_FILE).read_text(encoding="utf-8"))
            seed = bytes.fromhex((folder / DEVICE_KEY_FILE).read_text(encoding="ascii").strip())
            key = nacl.signing.SigningKey(seed)
            portal_key = bytes.fromhex(info["portal_key"]) if "portal_key" in info else None
            if portal_key is not None:
                nacl.signing.VerifyKey(portal_key)
            site = info.get("site")
            return cls(
                info["device_id"],
                info["portal_url"],
                key,
                info["anchor_fingerprint"],
                portal_key,
                site if isinstance(site, str) else None,
            )
        except FileNotFoundError:
            raise NotEnrolled(code="not_enrolled") from None
        except (OSError, ValueError, KeyError, TypeError, nacl.exceptions.CryptoError) as e:
            raise NotEnrolled(
                f"the enrolment files in {folder} are damaged ({e}): enrol again",
                code="enrolment_damaged",
            ) from None

    def receipt_key(self) -> bytes:
        """The key upload receipts must verify under. Raises NotEnrolled (enrolment_outdated)
        for an enrolment made without the signed document: nothing it uploads could be
        acknowledged, so it uploads nothing."""
        if self.portal_key is None:
            raise NotEnrolled(
                "this kiosk was enrolled without a signed enrolment document (an older version):"
                " no acknowledgement can be verified; enrol again",
                code="enrolment_outdated",
            )
        return self.portal_key


@dataclass(frozen=True)
class EnrolmentOffer:
    """What the portal answered; nothing is trusted or written until `commit`."""

    portal_url: str
    anchor: bytes  # offered: trusted only once the technician confirmed its fingerprint
    unverified_document: bytes = field(repr=False)
    device_key: nacl.signing.SigningKey = field(repr=False)

    @property
    def anchor_fingerprint(self) -> str:
        """Computed here from the anchor, never taken from the portal's text."""
        return anchor_fingerprint(self.anchor)

    def verify(self) -> Enrolment:
        """The enrolment document, verified under the offered anchor and bound to this device's
        key. Raises Rejected: `enrolment_forged` (not the anchor's signature), `enrolment_malformed`
        or `enrolment_not_ours` (issued to another device key)."""
        try:
            enrolment = parse_enrolment(self.unverified_document, self.anchor)
        except ForgedDocument as e:
            raise Rejected(
                f"the enrolment document is not signed by the trust anchor: {e}",
                code="enrolment_forged",
            ) from None
        except DocumentError as e:
            raise Rejected(
                f"the enrolment document is not usable: {e}", code="enrolment_malformed"
            ) from None
        if enrolment.device_key != bytes(self.device_key.verify_key):
            raise Rejected(
                "the enrolment document was issued to another device key", code="enrolment_not_ours"
            )
        self.site_secret(enrolment)  # a secret this device cannot open refuses the whole
        return enrolment

    def site_secret(self, enrolment: Enrolment) -> bytes | None:
        """The site secret the portal sealed to this device's key, or None (no site)."""
        if enrolment.sealed_site_secret is None:
            return None
        box = nacl.public.SealedBox(self.device_key.to_curve25519_private_key())
        try:
            secret = bytes(box.decrypt(enrolment.sealed_site_secret))
        except nacl.exceptions.CryptoError:
            raise Rejected(
                "the site secret in the enrolment document is not sealed to this device",
                code="enrolment_malformed",
            ) from None
        if len(secret) != 32:
            raise Rejected("the site secret is not 32 bytes", code="enrolment_malformed")
        return secret

    def commit(
        self, data_dir: Path, trust_dir: Path, *, replace_anchor: bool = False
    ) -> DeviceIdentity:
        """Verify the document (call only after the anchor's fingerprint was confirmed), then
        write the device key, the document, the sealing key and the anchor; `device.json` last.

        A different anchor already pinned is refused unless `replace_anchor`: then the lists
        signed by the old one are removed too, since they would no longer verify.
        """
        enrolment = self.verify()
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
        write_atomically(key_path, bytes(self.device_key).hex().encode() + b"\n", mode=0o600)
        write_atomically(folder / ENROLMENT_FILE, enrolment.raw)
        write_atomically(folder / SEAL_KEY_FILE, enrolment.seal_key.hex().encode() + b"\n")
        site_secret = self.site_secret(enrolment)
        if site_secret is not None:
            write_atomically(folder / SITE_SECRET_FILE, site_secret, mode=0o600)
        else:
            (folder / SITE_SECRET_FILE).unlink(missing_ok=True)  # a lane alone again
        write_anchor(trust_dir, self.anchor)
        state_path(data_dir).unlink(missing_ok=True)  # ETags and backoff of another portal
        info = {
            "device_id": enrolment.device_id,
            "portal_url": self.portal_url,
            "anchor_fingerprint": self.anchor_fingerprint,
            "portal_key": enrolment.portal_key.hex(),
            "site": enrolment.site,
        }
        write_atomically(folder / DEVICE_FILE, json.dumps(info, indent=1).encode())
        return DeviceIdentity(
            enrolment.device_id,
            self.portal_url,
            self.device_key,
            self.anchor_fingerprint,
            enrolment.portal_key,
            enrolment.site,
        )


def request_enrolment(
    client: PortalClient, code: str, *, name: str = "", site: str = ""
) -> EnrolmentOffer:
    """Register a fresh device key with the enrolment code. Raises EnrolmentRefused (the code
    is unknown, expired or used up: the portal does not say which), Transient, or Rejected."""
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
        document = base64.b64decode(str(answer["enrolment"]), validate=True)
    except (KeyError, ValueError, binascii.Error) as e:
        raise Transient(
            f"enrolment: the portal's answer is incomplete: {e}", code="bad_response"
        ) from None
    return EnrolmentOffer(client.base_url, anchor, document, key)

"""The portal's check of a device's request signature (RFC 9421-shaped, see docs/sync.md).

Written apart from the client's signer (portal_sync.signing) on purpose: a mistake made the same
way on both sides would otherwise pass every test. The accepted shape is narrow: one signature
labelled `sig1`, Ed25519, exactly the covered components the contract names, `created`, `keyid`
and `nonce` present. Anything else is refused with a reason code the client can act on.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass

import nacl.exceptions
import nacl.signing

# Which components a request must cover; idempotency-key only on event batches.
BASE_COMPONENTS = ("@method", "@path", "content-digest")
BATCH_COMPONENTS = (*BASE_COMPONENTS, "idempotency-key")

_INPUT = re.compile(
    r'^sig1=\((?P<components>(?:"[a-z@-]+" ?)+)\)'
    r";created=(?P<created>\d{1,12})"
    r';keyid="(?P<keyid>[A-Za-z0-9_-]{1,64})"'
    r';nonce="(?P<nonce>[A-Za-z0-9_-]{16,64})"'
    r';alg="ed25519"$'
)
_SIGNATURE = re.compile(r"^sig1=:(?P<sig>[A-Za-z0-9+/]+={0,2}):$")
_DIGEST = re.compile(r"^sha-256=:(?P<digest>[A-Za-z0-9+/]+={0,2}):$")


class SignatureRefused(Exception):
    """The request's signature was refused."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code  # bad_signature | stale_created | replayed_nonce | unknown_device ...


@dataclass(frozen=True, slots=True)
class SignatureParams:
    components: tuple[str, ...]
    created: int
    keyid: str
    nonce: str
    params_text: str  # everything after "sig1=", as signed


def parse_signature_input(value: str) -> SignatureParams:
    m = _INPUT.match(value.strip())
    if m is None:
        raise SignatureRefused("bad_signature", "Signature-Input is not in the contract's shape")
    components = tuple(c.strip('"') for c in m["components"].split())
    if components not in (BASE_COMPONENTS, BATCH_COMPONENTS):
        raise SignatureRefused("bad_signature", f"covered components {components} are not allowed")
    return SignatureParams(
        components, int(m["created"]), m["keyid"], m["nonce"], value.strip()[len("sig1=") :]
    )


def check_content_digest(header: str | None, body: bytes) -> None:
    m = _DIGEST.match((header or "").strip())
    if m is None:
        raise SignatureRefused("bad_digest", "Content-Digest must be sha-256=:BASE64:")
    if base64.b64decode(m["digest"]) != hashlib.sha256(body).digest():
        raise SignatureRefused("bad_digest", "Content-Digest does not match the body")


def signature_base(
    params: SignatureParams, method: str, path: str, headers: Mapping[str, str]
) -> bytes:
    lines = []
    for name in params.components:
        if name == "@method":
            value = method.upper()
        elif name == "@path":
            value = path
        else:
            found = headers.get(name)
            if found is None:
                raise SignatureRefused("bad_signature", f"covered header {name} is missing")
            value = found.strip()
        lines.append(f'"{name}": {value}')
    lines.append(f'"@signature-params": {params.params_text}')
    return "\n".join(lines).encode()


def verify(
    params: SignatureParams,
    signature_header: str | None,
    public_key: bytes,
    method: str,
    path: str,
    headers: Mapping[str, str],
) -> None:
    m = _SIGNATURE.match((signature_header or "").strip())
    if m is None:
        raise SignatureRefused("bad_signature", "Signature must be sig1=:BASE64:")
    signature = base64.b64decode(m["sig"])
    if len(signature) != 64:
        raise SignatureRefused("bad_signature", "an Ed25519 signature is 64 bytes")
    base = signature_base(params, method, path, headers)
    try:
        nacl.signing.VerifyKey(public_key).verify(base, signature)
    except nacl.exceptions.BadSignatureError:
        raise SignatureRefused("bad_signature", "the signature does not verify") from None

"""Request signing in the shape of RFC 9421 (HTTP Message Signatures) with the device key.

The covered components are fixed by the contract (docs/sync.md): `@method`, `@path`,
`content-digest` (RFC 9530, SHA-256 of the body), and `idempotency-key` on event batches.
Parameters: `created` (Unix seconds), `keyid` (the device id), `nonce` (random, single use),
`alg="ed25519"`. The portal refuses a stale `created` and a nonce it has seen.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import Mapping

import nacl.signing

LABEL = "sig1"


def content_digest(body: bytes) -> str:
    return "sha-256=:" + base64.b64encode(hashlib.sha256(body).digest()).decode() + ":"


def new_nonce() -> str:
    return secrets.token_urlsafe(16)


def signature_params(components: tuple[str, ...], created: int, keyid: str, nonce: str) -> str:
    names = " ".join(f'"{c}"' for c in components)
    return f'({names});created={created};keyid="{keyid}";nonce="{nonce}";alg="ed25519"'


def signature_base(
    method: str, path: str, headers: Mapping[str, str], components: tuple[str, ...], params: str
) -> bytes:
    lines = []
    for name in components:
        if name == "@method":
            value = method.upper()
        elif name == "@path":
            value = path
        else:
            value = headers[name].strip()
        lines.append(f'"{name}": {value}')
    lines.append(f'"@signature-params": {params}')
    return "\n".join(lines).encode()


def sign_request(
    key: nacl.signing.SigningKey,
    keyid: str,
    method: str,
    path: str,
    body: bytes,
    *,
    created: int,
    idempotency_key: str | None = None,
    nonce: str | None = None,
) -> dict[str, str]:
    """The headers that sign this request: Content-Digest, Signature-Input, Signature
    (and Idempotency-Key when given, which is then covered too)."""
    headers = {"content-digest": content_digest(body)}
    components: tuple[str, ...] = ("@method", "@path", "content-digest")
    if idempotency_key is not None:
        headers["idempotency-key"] = idempotency_key
        components = (*components, "idempotency-key")
    params = signature_params(components, created, keyid, nonce or new_nonce())
    signature = key.sign(signature_base(method, path, headers, components, params)).signature
    return {
        "Content-Digest": headers["content-digest"],
        **({"Idempotency-Key": idempotency_key} if idempotency_key is not None else {}),
        "Signature-Input": f"{LABEL}={params}",
        "Signature": f"{LABEL}=:{base64.b64encode(signature).decode()}:",
    }

"""Request signing: a fixed vector (also in docs/sync.md), and the client's signer checked by
the portal's separately written verifier."""

from __future__ import annotations

import hashlib

import nacl.signing
import pytest

from devportal import signatures
from portal_sync import signing

KEY = nacl.signing.SigningKey(hashlib.sha256(b"sync-vector-device").digest())
BODY = b'{"events":[]}'
VECTOR = {
    "Content-Digest": "sha-256=:JN4cShnEOtQbAT8T3NhYwXsNqn8zpT8ZkT5bETZtHC4=:",
    "Idempotency-Key": "b-vector",
    "Signature-Input": 'sig1=("@method" "@path" "content-digest" "idempotency-key")'
    ';created=1795000000;keyid="kd-0123456789abcdef";nonce="AAAAAAAAAAAAAAAAAAAAAA"'
    ';alg="ed25519"',
    "Signature": "sig1=:auELAMQGt7IorgLP1lxcMS7ZZLfocwc2YahaAYEuT6J2+AX4Aov4ok9qDIVK1go2xQ/0Kl4"
    "jPj0Y80KXmdxmBw==:",
}
BASE = (
    '"@method": POST\n'
    '"@path": /api/v1/events\n'
    '"content-digest": sha-256=:JN4cShnEOtQbAT8T3NhYwXsNqn8zpT8ZkT5bETZtHC4=:\n'
    '"idempotency-key": b-vector\n'
    '"@signature-params": ("@method" "@path" "content-digest" "idempotency-key")'
    ';created=1795000000;keyid="kd-0123456789abcdef";nonce="AAAAAAAAAAAAAAAAAAAAAA"'
    ';alg="ed25519"'
)


def _sign(**kw: object) -> dict[str, str]:
    return signing.sign_request(
        KEY,
        "kd-0123456789abcdef",
        "POST",
        "/api/v1/events",
        BODY,
        created=1795000000,
        idempotency_key="b-vector",
        nonce="AAAAAAAAAAAAAAAAAAAAAA",
        **kw,  # type: ignore[arg-type]
    )


def test_the_published_vector() -> None:
    assert _sign() == VECTOR


def test_the_portal_verifies_the_vector_from_its_own_signature_base() -> None:
    params = signatures.parse_signature_input(VECTOR["Signature-Input"])
    headers = {"content-digest": VECTOR["Content-Digest"], "idempotency-key": "b-vector"}
    assert signatures.signature_base(params, "POST", "/api/v1/events", headers) == BASE.encode()
    signatures.check_content_digest(VECTOR["Content-Digest"], BODY)
    signatures.verify(
        params, VECTOR["Signature"], bytes(KEY.verify_key), "POST", "/api/v1/events", headers
    )


@pytest.mark.parametrize(
    ("method", "path", "idem"),
    [
        ("PUT", "/api/v1/events", "b-vector"),
        ("POST", "/api/v1/heartbeat", "b-vector"),
        ("POST", "/api/v1/events", "b-other"),
    ],
    ids=["method", "path", "idempotency-key"],
)
def test_any_covered_component_changed_breaks_the_signature(
    method: str, path: str, idem: str
) -> None:
    params = signatures.parse_signature_input(VECTOR["Signature-Input"])
    headers = {"content-digest": VECTOR["Content-Digest"], "idempotency-key": idem}
    with pytest.raises(signatures.SignatureRefused) as refused:
        signatures.verify(params, VECTOR["Signature"], bytes(KEY.verify_key), method, path, headers)
    assert refused.value.code == "bad_signature"


@pytest.mark.parametrize(
    "value",
    [
        'sig1=("@method" "@path");created=1;keyid="k";nonce="AAAAAAAAAAAAAAAAAAAAAA";alg="ed25519"',
        'sig1=("@method" "@path" "content-digest");created=1;keyid="k";alg="ed25519"',
        'sig1=("@method" "@path" "content-digest");created=1;keyid="k";'
        'nonce="AAAAAAAAAAAAAAAAAAAAAA";alg="hmac-sha256"',
        'sig2=("@method" "@path" "content-digest");created=1;keyid="k";'
        'nonce="AAAAAAAAAAAAAAAAAAAAAA";alg="ed25519"',
    ],
    ids=["digest-not-covered", "no-nonce", "other-alg", "other-label"],
)
def test_the_portal_accepts_only_the_contract_shape(value: str) -> None:
    with pytest.raises(signatures.SignatureRefused):
        signatures.parse_signature_input(value)


def test_a_body_changed_after_signing_fails_the_digest() -> None:
    with pytest.raises(signatures.SignatureRefused) as refused:
        signatures.check_content_digest(VECTOR["Content-Digest"], BODY + b" ")
    assert refused.value.code == "bad_digest"

"""Published test vectors: the demo cases plus edge cases, each with its expected verdict.

`python -m devportal vectors --out tests/vectors` writes them; they are committed, so another
implementation can be checked against ours (and ours against them) without running this code.
"""

from __future__ import annotations

import json
import zlib
from pathlib import Path

from devportal import demo, issuer
from verifier import base45
from verifier.check import PREFIX


def _cases(seed: str) -> list[tuple[str, str, str, str | None, str]]:
    """(name, text, verdict, reason, what it shows)."""
    demo_set = demo.build(seed)
    signer = issuer.signing_key(f"{seed}:issuer")
    stranger = issuer.signing_key(f"{seed}:stranger")
    citizen = demo.CITIZENS["valid"]
    kid = issuer.kid_for(issuer.public_bytes(signer))

    def payload(**kw: object) -> bytes:
        args: dict = {
            "iss": demo.ISS,
            "iat": demo.ISSUED,
            "exp": demo.VALID_UNTIL,
            "cti": bytes.fromhex("0f" * 16),
        }
        args.update(kw)
        return issuer.claims_payload(citizen, **args)

    cose = issuer.sign1(payload(), signer)
    cases = [
        (c.name, c.text, c.expected_verdict, c.expected_reason, f"{c.label_en} (demo)")
        for c in demo_set.codes
    ]
    cases += [
        (
            "untagged",
            issuer.credential_text(issuer.sign1(payload(), signer, tagged=False)),
            "accept",
            None,
            "COSE_Sign1 without tag 18",
        ),
        (
            "uncompressed",
            issuer.credential_text(cose, compress=False),
            "accept",
            None,
            "no zlib layer",
        ),
        (
            "kid-unprotected",
            issuer.credential_text(
                issuer.sign1(payload(), signer, protected={1: -8}, unprotected={4: kid})
            ),
            "accept",
            None,
            "kid only in the unprotected header",
        ),
        (
            "qr1405",
            "048090001234|NGUYEN VAN AN|1990-05-17|1|VNM.048.0001234|<1<<0905123456<",
            "unverified",
            None,
            "Decision 1405 personal QR",
        ),
        (
            "alg-es256",
            issuer.credential_text(issuer.sign1(payload(), signer, protected={1: -7, 4: kid})),
            "reject",
            "unsupported_alg",
            "alg -7 in the protected header",
        ),
        (
            "unknown-key",
            issuer.credential_text(issuer.sign1(payload(), stranger)),
            "reject",
            "unknown_key",
            "kid not in the trust list",
        ),
        (
            "not-yet-valid",
            issuer.credential_text(issuer.sign1(payload(nbf=demo.VALID_UNTIL - 1), signer)),
            "reject",
            "not_yet_valid",
            "nbf far in the future",
        ),
        (
            "issuer-mismatch",
            issuer.credential_text(issuer.sign1(payload(iss="VN-HN"), signer)),
            "reject",
            "key_not_valid",
            "iss differs from the key's iss",
        ),
        (
            "zlib-trailing",
            PREFIX + base45.encode(zlib.compress(cose) + b"\x00"),
            "reject",
            "format",
            "a byte after the end of the zlib stream",
        ),
        (
            "cose-trailing",
            issuer.credential_text(cose + b"\xf6"),
            "reject",
            "format",
            "a byte after the end of the COSE structure",
        ),
        ("base45-range", PREFIX + "GGW", "reject", "format", "Base45 group over 65535"),
        (
            "zlib-bomb",
            PREFIX + base45.encode(zlib.compress(b"\0" * 800_000, 9)),
            "reject",
            "format",
            "inflates past 4,096 bytes",
        ),
    ]
    return cases


def write(out: Path, seed: str = "demo") -> None:
    demo_set = demo.build(seed)
    out.mkdir(parents=True, exist_ok=True)
    (out / "trust-list.cose").write_bytes(demo_set.trust_list)
    (out / "revocations.cose").write_bytes(demo_set.revocations)
    records = []
    for name, text, verdict, reason, shows in _cases(seed):
        (out / f"{name}.txt").write_text(text + "\n", encoding="utf-8")
        records.append(
            {"file": f"{name}.txt", "verdict": verdict, "reason": reason, "shows": shows}
        )
    index = {
        "format": "CDS1 (see credential-format.md)",
        "anchor": demo_set.anchor_hex,
        "trust_list": "trust-list.cose",
        "revocations": "revocations.cose",
        "checked_at": demo.VECTOR_TIME,
        "clock_skew_s": 300,
        "vectors": records,
    }
    (out / "vectors.json").write_text(json.dumps(index, ensure_ascii=False, indent=2) + "\n")

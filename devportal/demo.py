"""The demo set: a trust anchor, an issuer, signed lists and one credential of each kind.

Made from fixed seeds and fixed times, so the demo, the kiosk's built-in demo data and the
published test vectors all show the same cases.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from devportal import issuer
from devportal.issuer import Citizen, ListedKey

ISS = "VN-DN"


def _ts(text: str) -> int:
    return int(datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp())


KEY_NBF = _ts("2025-01-01T00:00:00")
KEY_EXP = _ts("2035-12-31T00:00:00")
ISSUED = _ts("2026-01-05T08:00:00")
VALID_UNTIL = _ts("2035-12-30T00:00:00")
LISTS_ISSUED = _ts("2026-11-01T00:00:00")
LISTS_NEXT_UPDATE = _ts("2035-12-01T00:00:00")
# The instant the published vectors are checked at (the demo checks at the current time).
VECTOR_TIME = _ts("2026-11-26T08:00:00")

CITIZENS = {
    "valid": Citizen("048090001234", "Nguyễn Văn An", "1990-05-17", "M"),
    "expired": Citizen("048185004321", "Trần Thị Bích Ngọc", "1985-11-02", "F"),
    "revoked": Citizen("048072009876", "Lê Hoàng Phúc", "1972-03", "M"),
    "forged": Citizen("048001000001", "Phạm Thị Hương", "2001-07-30", "F"),
    "idcard": Citizen("048095006789", "Võ Thị Thanh Hằng", "1995-09-21", "F"),
}


@dataclass(frozen=True)
class DemoCode:
    name: str
    text: str
    expected_verdict: str
    expected_reason: str | None
    label_vi: str
    label_en: str


@dataclass(frozen=True)
class DemoSet:
    anchor_hex: str
    anchor_seed: str
    issuer_seed: str
    trust_list: bytes
    revocations: bytes
    codes: tuple[DemoCode, ...]


def _cti(name: str, seed: str) -> bytes:
    return hashlib.sha256(f"{seed}:cti:{name}".encode()).digest()[:16]


def build(seed: str = "demo") -> DemoSet:
    anchor = issuer.signing_key(f"{seed}:anchor")
    signer = issuer.signing_key(f"{seed}:issuer")
    impostor = issuer.signing_key(f"{seed}:impostor")
    trust_list = issuer.sign_trust_list(
        anchor,
        version=1,
        issued_at=LISTS_ISSUED,
        next_update=LISTS_NEXT_UPDATE,
        keys=[ListedKey(issuer.public_bytes(signer), ISS, KEY_NBF, KEY_EXP)],
    )
    revocations = issuer.sign_revocations(
        anchor,
        version=1,
        issued_at=LISTS_ISSUED,
        next_update=LISTS_NEXT_UPDATE,
        revoked_ctis=[_cti("revoked", seed)],
    )

    def mint(name: str, key: issuer.nacl.signing.SigningKey, iat: int, exp: int) -> str:
        return issuer.mint_credential(
            key, CITIZENS[name], iss=ISS, iat=iat, exp=exp, cti=_cti(name, seed)
        )

    valid = mint("valid", signer, ISSUED, VALID_UNTIL)
    expired = mint("expired", signer, _ts("2025-02-01T00:00:00"), _ts("2026-02-01T00:00:00"))
    revoked = mint("revoked", signer, ISSUED, VALID_UNTIL)
    # Forged: made by a key that claims the real issuer's kid.
    forged_payload = issuer.claims_payload(
        CITIZENS["forged"], iss=ISS, iat=ISSUED, exp=VALID_UNTIL, cti=_cti("forged", seed)
    )
    real_kid = issuer.kid_for(issuer.public_bytes(signer))
    forged = issuer.credential_text(
        issuer.sign1(forged_payload, impostor, protected={1: -8, 4: real_kid})
    )
    idcard = issuer.cccd_text(
        CITIZENS["idcard"],
        old_id="201234567",
        address="12 Bạch Đằng, Hải Châu, Đà Nẵng",
        issued="2021-04-10",
    )
    codes = (
        DemoCode("valid", valid, "accept", None, "Mã hợp lệ", "Valid credential"),
        DemoCode("expired", expired, "reject", "expired", "Mã đã hết hạn", "Expired credential"),
        DemoCode("revoked", revoked, "reject", "revoked", "Mã đã bị thu hồi", "Revoked credential"),
        DemoCode("forged", forged, "reject", "bad_signature", "Mã giả mạo", "Forged credential"),
        DemoCode("idcard", idcard, "unverified", None, "Mã QR trên CCCD", "Chip ID card QR"),
        DemoCode(
            "url",
            "https://danang.gov.vn/",
            "reject",
            "not_a_credential",
            "Đường dẫn web",
            "A web link",
        ),
    )
    return DemoSet(
        anchor_hex=issuer.public_bytes(anchor).hex(),
        anchor_seed=f"{seed}:anchor",
        issuer_seed=f"{seed}:issuer",
        trust_list=trust_list,
        revocations=revocations,
        codes=codes,
    )


def write(demo: DemoSet, out: Path, *, images: bool = True) -> None:
    """Write anchor.hex, the two signed lists, credentials/N-NAME.txt (+ .png), manifest.json."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "anchor.hex").write_text(demo.anchor_hex + "\n")
    (out / "trust-list.cose").write_bytes(demo.trust_list)
    (out / "revocations.cose").write_bytes(demo.revocations)
    creds = out / "credentials"
    creds.mkdir(exist_ok=True)
    for i, code in enumerate(demo.codes, start=1):
        stem = f"{i}-{code.name}"
        (creds / f"{stem}.txt").write_text(code.text + "\n", encoding="utf-8")
        if images:
            issuer.write_qr_png(code.text, creds / f"{stem}.png")
    manifest = {
        "anchor": demo.anchor_hex,
        "checked_at": VECTOR_TIME,
        "codes": [
            {
                "file": f"credentials/{i}-{c.name}.txt",
                "verdict": c.expected_verdict,
                "reason": c.expected_reason,
                "label_vi": c.label_vi,
                "label_en": c.label_en,
            }
            for i, c in enumerate(demo.codes, start=1)
        ],
    }
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")

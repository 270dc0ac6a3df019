"""A small issuing world for the verifier's tests: anchor, issuer, lists, a minting helper."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import nacl.signing
import pytest

from devportal import issuer
from devportal.issuer import Citizen, ListedKey
from verifier import TrustState, parse_revocations, parse_trust_list

NOW = 1_790_000_000  # 2026-09-21, a fixed clock for every test
DAY = 86_400
ISS = "VN-DN"
CITIZEN = Citizen("048090001234", "Nguyễn Văn An", "1990-05-17", "M")
CTI = bytes(range(16))


@dataclass
class World:
    anchor: nacl.signing.SigningKey
    signer: nacl.signing.SigningKey
    key_nbf: int = NOW - 365 * DAY
    key_exp: int = NOW + 365 * DAY
    revoked: list[bytes] = field(default_factory=list)
    next_update: int = NOW + 7 * DAY

    @property
    def anchor_public(self) -> bytes:
        return issuer.public_bytes(self.anchor)

    def trust_list_bytes(self, version: int = 1, **overrides: Any) -> bytes:
        keys = overrides.pop(
            "keys", [ListedKey(issuer.public_bytes(self.signer), ISS, self.key_nbf, self.key_exp)]
        )
        return issuer.sign_trust_list(
            overrides.pop("anchor", self.anchor),
            version=version,
            issued_at=NOW - DAY,
            next_update=overrides.pop("next_update", self.next_update),
            keys=keys,
        )

    def revocations_bytes(
        self, version: int = 1, anchor: nacl.signing.SigningKey | None = None
    ) -> bytes:
        return issuer.sign_revocations(
            anchor or self.anchor,
            version=version,
            issued_at=NOW - DAY,
            next_update=self.next_update,
            revoked_ctis=self.revoked,
        )

    def trust(self) -> TrustState:
        return TrustState(
            parse_trust_list(self.trust_list_bytes(), self.anchor_public),
            parse_revocations(self.revocations_bytes(), self.anchor_public),
        )

    def payload(self, **claims: Any) -> bytes:
        args: dict[str, Any] = {"iss": ISS, "iat": NOW - DAY, "exp": NOW + 30 * DAY, "cti": CTI}
        args.update(claims)
        citizen = args.pop("citizen", CITIZEN)
        return issuer.claims_payload(citizen, **args)

    def mint(self, **claims: Any) -> str:
        return issuer.credential_text(issuer.sign1(self.payload(**claims), self.signer))


@pytest.fixture
def world() -> World:
    return World(issuer.signing_key("test:anchor"), issuer.signing_key("test:issuer"))


Minter = Callable[..., str]

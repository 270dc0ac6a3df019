"""What the fuzzer feeds, and what must hold for every input (the oracle).

One entry point, `run_one(data)`: the first byte picks a target, the rest is its input.

| mode | input | parser |
| --- | --- | --- |
| latin1, utf8 | any bytes as text | `verifier.check` |
| base45 | `CDS1:` + Base45(bytes): the zlib stream or the bare envelope | `verifier.check` |
| cose | `CDS1:` + Base45(zlib(bytes)): the COSE_Sign1 itself, past zlib | `verifier.check` |
| trust_list, revocations | raw bytes | `parse_trust_list`, `parse_revocations` |
| badge_b45, badge | `CDSTECH1:` + Base45(bytes), or any text | `check_badge` |

What must hold, or `Escape` is raised:
- no exception leaves a parser but the defined ones (`check` and `check_badge` raise none and
  never fall back to their internal-error reject; the list parsers raise `DocumentError` only);
- nothing is accepted unless it is genuinely signed: an accepted credential, list or badge
  carries the exact signed content (protected header, payload, signature) of one of the genuine
  ones in the seed corpus. The format allows such a text to differ from the genuine text only by
  tag 18, compression, or an unprotected kid; those are counted apart (`reencoded`), and any
  accept whose text is not a genuine text exactly is listed in the report.
"""

from __future__ import annotations

import contextlib
import json
import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import cbor2

from devportal import badge as badge_issuer
from devportal import issuer
from kiosk.core.technician.badge import BadgeCheck, check_badge
from verifier import (
    PREFIX,
    DocumentError,
    Outcome,
    TrustState,
    Verdict,
    anchor_from_hex,
    base45,
    check,
    parse_revocations,
    parse_trust_list,
)

VECTORS = Path(__file__).resolve().parents[1] / "vectors"
BADGE_PREFIX = "CDSTECH1:"
DEVICE_ID, SITE = "dev-0001", "DN-01"


class Escape(AssertionError):
    """An input broke what must hold: an undefined exception, or an accept that is not genuine."""


MODES = ("latin1", "utf8", "base45", "cose", "trust_list", "revocations", "badge_b45", "badge")


@dataclass
class World:
    """The published vectors' world (the demo anchor), plus a badge for this kiosk."""

    anchor: bytes
    trust: TrustState
    now: int
    trust_list_raw: bytes
    revocations_raw: bytes
    valid_texts: frozenset[str]
    badge_text: str
    seeds: dict[str, list[bytes]] = field(default_factory=dict)
    genuine: frozenset[tuple[bytes, bytes, bytes]] = frozenset()


def signed_content(cose: bytes) -> tuple[bytes, bytes, bytes] | None:
    """(protected, payload, signature) of a COSE_Sign1, tag or not; None when it is not one."""
    try:
        item = cbor2.loads(cose)
    except Exception:
        return None
    if isinstance(item, cbor2.CBORTag):
        item = item.value
    if not isinstance(item, list | tuple) or len(item) != 4:
        return None
    protected, _unprotected, payload, signature = item
    if not all(isinstance(x, bytes) for x in (protected, payload, signature)):
        return None
    return protected, payload, signature


def cose_of_text(text: str, prefix: str = PREFIX) -> bytes | None:
    try:
        body = base45.decode(text[len(prefix) :])
        return zlib.decompress(body) if body[:1] == b"\x78" else body
    except (base45.Base45Error, zlib.error):
        return None


def load_world() -> World:
    meta = json.loads((VECTORS / "vectors.json").read_text(encoding="utf-8"))
    anchor = anchor_from_hex(meta["anchor"])
    tl_raw = (VECTORS / meta["trust_list"]).read_bytes()
    rl_raw = (VECTORS / meta["revocations"]).read_bytes()
    trust = TrustState(parse_trust_list(tl_raw, anchor), parse_revocations(rl_raw, anchor))
    now = int(meta["checked_at"])
    texts = {
        v["file"]: (VECTORS / v["file"]).read_text(encoding="utf-8").removesuffix("\n")
        for v in meta["vectors"]
    }
    valid = frozenset(texts[v["file"]] for v in meta["vectors"] if v["verdict"] == "accept")
    anchor_key = issuer.signing_key("demo:anchor")  # the vectors are made from the demo seed
    assert issuer.public_bytes(anchor_key) == anchor
    body = badge_issuer.badge_body("tech-7", bid=bytes(range(badge_issuer.BID_LENGTH)),
                                   device=DEVICE_ID, site=None, not_before=now - 60,
                                   hours=8)  # fmt: skip
    badge_text = badge_issuer.badge_text(anchor_key, body)

    coses = [c for t in texts.values() if t.startswith(PREFIX) and (c := cose_of_text(t))]
    compressed = [base45.decode(t[len(PREFIX) :]) for t in texts.values() if t.startswith(PREFIX)
                  and _is_base45(t[len(PREFIX) :])]  # fmt: skip
    badge_cose = base45.decode(badge_text[len(BADGE_PREFIX) :])
    seeds = {
        "latin1": [t.encode("latin-1", "replace") for t in texts.values()],
        "utf8": [t.encode("utf-8") for t in texts.values()] + [b"", b"CDS1:", b"\xff\xfe"],
        "base45": compressed + coses,
        "cose": coses,
        "trust_list": [tl_raw],
        "revocations": [rl_raw],
        "badge_b45": [badge_cose, *coses[:2]],
        "badge": [badge_text.encode("ascii")],
    }
    genuine = {signed_content(c) for c in [*(cose_of_text(t) or b"" for t in valid)]}
    genuine |= {signed_content(tl_raw), signed_content(rl_raw), signed_content(badge_cose)}
    return World(anchor, trust, now, tl_raw, rl_raw, valid, badge_text, seeds,
                 frozenset(g for g in genuine if g is not None))  # fmt: skip


def _is_base45(body: str) -> bool:
    try:
        base45.decode(body)
    except base45.Base45Error:
        return False
    return True


def corpus(world: World) -> list[bytes]:
    """The seed corpus: each seed behind the byte that selects its mode."""
    return [bytes([i]) + seed for i, mode in enumerate(MODES) for seed in world.seeds[mode]]


@dataclass
class Tally:
    runs: int = 0
    by_mode: Counter[str] = field(default_factory=Counter)
    outcomes: Counter[str] = field(default_factory=Counter)
    accepted_exact: int = 0  # the very text (or bytes) of a genuine credential, list or badge
    reencoded: int = 0  # genuine signed content in another allowed encoding
    reencoded_samples: list[str] = field(default_factory=list)
    reencoded_kinds: Counter[str] = field(default_factory=Counter)  # how they differ

    def as_json(self) -> dict[str, object]:
        return {
            "runs": self.runs,
            "by_mode": dict(self.by_mode),
            "outcomes": dict(self.outcomes.most_common(40)),
            "accepted_exact": self.accepted_exact,
            "reencoded": self.reencoded,
            "reencoded_kinds": dict(self.reencoded_kinds),
            "reencoded_samples": self.reencoded_samples[:5],
            "escapes": 0,  # an escape stops the run before a tally is written
        }


class Oracle:
    def __init__(self, world: World, tally: Tally | None = None) -> None:
        self.world = world
        self.tally = tally or Tally()
        # Injection points for the harness's own tests: the parsers under test.
        self.check: Callable[..., Verdict] = check
        self.check_badge: Callable[..., BadgeCheck] = check_badge

    def run_one(self, data: bytes) -> None:
        self.tally.runs += 1
        if not data:
            self.tally.by_mode["empty"] += 1
            return
        mode = MODES[data[0] % len(MODES)]
        body = data[1:]
        self.tally.by_mode[mode] += 1
        if mode in ("trust_list", "revocations"):
            self._document(mode, body)
        elif mode in ("badge_b45", "badge"):
            text = (
                BADGE_PREFIX + base45.encode(body)
                if mode == "badge_b45"
                else body.decode("utf-8", "replace")
            )
            self._badge(text)
        else:
            self._credential(_credential_text(mode, body))

    def _genuine(self, cose: bytes | None, exact: bool, what: str, shown: str) -> None:
        content = signed_content(cose) if cose is not None else None
        if content is None or content not in self.world.genuine:
            raise Escape(f"accepted a {what} that is not genuinely signed: {shown[:300]!r}")
        if exact:
            self.tally.accepted_exact += 1
        else:
            self.tally.reencoded += 1
            self.tally.reencoded_kinds[f"{what}: {_encoding(cose, shown)}"] += 1
            if len(self.tally.reencoded_samples) < 5:
                self.tally.reencoded_samples.append(f"{what}: {shown[:1500]}")

    def _credential(self, text: str) -> None:
        try:
            verdict = self.check(text, self.world.trust, self.world.now)
        except Exception as e:
            raise Escape(f"check raised {e!r} on {text[:200]!r}") from e
        if verdict.detail == "internal error":
            raise Escape(f"check hit its internal-error fallback on {text[:200]!r}")
        outcome = verdict.outcome
        self.tally.outcomes[f"credential.{verdict.reason or outcome}"] += 1
        if outcome is Outcome.ACCEPT:
            exact = text in self.world.valid_texts
            self._genuine(cose_of_text(text), exact, "credential", text)

    def _document(self, mode: str, raw: bytes) -> None:
        parse = parse_trust_list if mode == "trust_list" else parse_revocations
        try:
            parse(raw, self.world.anchor)
        except DocumentError as e:
            self.tally.outcomes[f"{mode}.{type(e).__name__}"] += 1
            return
        except Exception as e:
            raise Escape(f"{mode} parser raised {e!r} on {raw[:200].hex()}") from e
        self.tally.outcomes[f"{mode}.installed"] += 1
        held = self.world.trust_list_raw if mode == "trust_list" else self.world.revocations_raw
        self._genuine(raw, raw == held, mode, raw.hex())

    def _badge(self, text: str) -> None:
        try:
            result = self.check_badge(text, self.world.anchor, device_id=DEVICE_ID, site=SITE,
                                      revoked=frozenset(), now=self.world.now)  # fmt: skip
        except Exception as e:
            raise Escape(f"check_badge raised {e!r} on {text[:200]!r}") from e
        refusal = result.refusal
        self.tally.outcomes[f"badge.{refusal or 'ok'}"] += 1
        if result.ok:
            cose = cose_of_text(text, BADGE_PREFIX) if text.startswith(BADGE_PREFIX) else None
            self._genuine(cose, text == self.world.badge_text, "badge", text)


def _encoding(cose: bytes | None, shown: str) -> str:
    """How an accepted re-encoding is encoded: zlib or not, tag 18 or not, the unprotected map."""
    item = cbor2.loads(cose) if cose is not None else None
    tagged = isinstance(item, cbor2.CBORTag)
    envelope = item.value if isinstance(item, cbor2.CBORTag) else item
    compressed = False
    if shown.startswith(PREFIX):
        with contextlib.suppress(base45.Base45Error):
            compressed = base45.decode(shown[len(PREFIX) :])[:1] == b"\x78"
    unprotected = sorted(envelope[1]) if isinstance(envelope, list | tuple) else "?"
    return (f"{'zlib' if compressed else 'no zlib'}, {'tag 18' if tagged else 'untagged'}, "
            f"unprotected labels {unprotected}")  # fmt: skip


def _credential_text(mode: str, body: bytes) -> str:
    if mode == "latin1":
        return body.decode("latin-1")
    if mode == "utf8":
        return body.decode("utf-8", "replace")
    if mode == "base45":
        return PREFIX + base45.encode(body)
    return PREFIX + base45.encode(zlib.compress(body, 9))

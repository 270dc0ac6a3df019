"""`kiosk verify`: the verdict on QR texts or images, offline."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kiosk.cli.common import (
    EXIT_NOT_ACCEPTED,
    EXIT_OK,
    UsageError,
    global_options,
    load_kiosk_config,
)
from kiosk.core.decode.decoder import Decoder, ImageReadError, load_gray
from kiosk.core.paths import trust_dir
from kiosk.core.pipeline import policy_from_config
from kiosk.core.reason_text import outcome_words, reason_words, stale_words
from kiosk.core.trust.freshness import Freshness, ListState, freshness
from verifier import (
    PREFIX,
    DocumentError,
    Outcome,
    Policy,
    StaleAction,
    StaleList,
    TrustState,
    TrustStore,
    TrustStoreError,
    Verdict,
    anchor_from_hex,
    check,
    parse_revocations,
    parse_trust_list,
)
from verifier.idcard import read_unsigned
from verifier.trust_store import read_anchor

NAME = "verify"
HELP = "check QR credentials (text files, images, or - for stdin lines) offline"
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp", ".webp", ".tif", ".tiff"}
TEXT_SUFFIXES = {".txt"}


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="a .txt file, an image, or -")
    p.add_argument("--anchor", metavar="HEX", help="trust anchor public key (64 hex characters)")
    p.add_argument("--trust-list", type=Path, metavar="FILE", help="signed trust list (.cose)")
    p.add_argument(
        "--revocations", type=Path, metavar="FILE", help="signed revocation list (.cose)"
    )
    p.add_argument("--at", metavar="ISO8601", help="check as of this time (default: now)")
    p.add_argument("--json", action="store_true", help="one JSON object per input")


def parse_time(text: str | None) -> int:
    """Unix seconds from ISO 8601 (UTC when no offset is given) or plain seconds."""
    if text is None:
        return int(time.time())
    if text.isdigit():
        return int(text)
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(f"--at {text!r} is not an ISO 8601 time") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp())


def _read_document(path: Path, what: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as e:
        raise UsageError(f"cannot read the {what} {path}: {e.strerror}") from None


def load_trust(args: argparse.Namespace, data_dir: Path) -> TrustState:
    """The trust state from --anchor/--trust-list/--revocations, or the kiosk's trust store."""
    return load_trust_and_problems(args, data_dir)[0]


def load_trust_and_problems(
    args: argparse.Namespace, data_dir: Path
) -> tuple[TrustState, dict[StaleList, str]]:
    """The trust state, and which of the store's files could not be used (held as none: stale
    trust data, which the verdicts then name)."""
    store_dir = trust_dir(data_dir)
    try:
        anchor = anchor_from_hex(args.anchor) if args.anchor else read_anchor(store_dir)
    except ValueError as e:
        raise UsageError(f"--anchor: {e}") from None
    except TrustStoreError as e:
        raise UsageError(str(e)) from None
    store = TrustStore(store_dir, anchor) if store_dir.is_dir() else None
    held = store.state if store is not None else TrustState()
    unreadable = dict(store.unreadable) if store is not None else {}
    try:
        trust_list = held.trust_list
        if args.trust_list:
            trust_list = parse_trust_list(_read_document(args.trust_list, "trust list"), anchor)
            unreadable.pop(StaleList.TRUST_LIST, None)
        revocations = held.revocations
        if args.revocations:
            raw = _read_document(args.revocations, "revocation list")
            revocations = parse_revocations(raw, anchor)
            unreadable.pop(StaleList.REVOCATIONS, None)
    except DocumentError as e:
        raise UsageError(f"refused a signed document: {e}") from None
    return TrustState(trust_list, revocations), unreadable


def stale_warnings(fresh: Freshness, policy: Policy) -> list[str]:
    """One line per list the stale-trust policy judges by, saying why and what it does."""
    then = (
        "credentials are rejected (stale_trust_list)"
        if policy.on_stale_trust_list is StaleAction.REJECT
        else "credentials are accepted with a warning"
    )
    lines = []
    for f in (fresh.trust_list, fresh.revocations):
        if not f.judged or (f.which is StaleList.TRUST_LIST and f.state is ListState.MISSING):
            continue  # no trust list at all is no_trust_list, said by every verdict
        if f.state is ListState.STALE:
            why = f"version {f.version}, past its next update plus the grace"
        elif f.state is ListState.UNREADABLE:
            why = f"unreadable ({f.problem})"
        else:
            why = "none held (--revocations or a synced one)"
        lines.append(f"kiosk verify: warning: stale {f.which}: {why}; {then}")
    return lines


def pick_text(texts: tuple[str, ...]) -> str | None:
    """Of the codes in one image: a credential first, then an ID-card code, then anything."""
    for t in texts:
        if t.startswith(PREFIX):
            return t
    for t in texts:
        if read_unsigned(t) is not None:
            return t
    return texts[0] if texts else None


def _file_text(path: Path, decoder: Decoder) -> str | None:
    suffix = path.suffix.lower()
    if suffix in IMAGE_SUFFIXES:
        try:
            return pick_text(decoder.decode(load_gray(path)).texts)
        except ImageReadError as e:
            raise UsageError(str(e)) from None
    if suffix in TEXT_SUFFIXES:
        try:
            return path.read_text(encoding="utf-8").removesuffix("\n").removesuffix("\r")
        except (OSError, UnicodeDecodeError) as e:
            raise UsageError(f"cannot read {path}: {e}") from None
    raise UsageError(
        f"{path}: expected a .txt file or an image ({', '.join(sorted(IMAGE_SUFFIXES))})"
    )


def iter_inputs(inputs: list[str]) -> Iterator[tuple[str, str | None]]:
    """(label, QR text, or None when an image holds no code).

    Every file is read before anything prints, so a bad one fails the run before any output.
    """
    decoder = Decoder(budget_ms=None, remember=False)  # still images: the same answer on any load
    read = [(name, None if name == "-" else _file_text(Path(name), decoder)) for name in inputs]
    for name, text in read:
        if name != "-":
            yield name, text
            continue
        for line in sys.stdin:
            yield "-", line.removesuffix("\n").removesuffix("\r")


def verdict_json(label: str, verdict: Verdict | None) -> dict[str, Any]:
    if verdict is None:
        return {
            "input": label,
            "verdict": "reject",
            "reason": "not_a_credential",
            "subject": None,
            "error": "no QR code found in the image",
        }
    return {
        "input": label,
        "verdict": str(verdict.outcome),
        "reason": str(verdict.reason) if verdict.reason else None,
        "subject": verdict.subject.public_view() if verdict.subject else None,
        "kind": str(verdict.kind),
        "warnings": [str(w) for w in verdict.warnings],
        "stale_lists": [str(w) for w in verdict.stale_lists],
    }


def verdict_line(label: str, verdict: Verdict | None) -> str:
    if verdict is None:
        return f"{label}: {outcome_words(Outcome.REJECT)} — không tìm thấy mã QR / no QR code found"
    parts = [f"{label}: {outcome_words(verdict.outcome)}"]
    if verdict.reason:
        parts.append(f"— {reason_words(verdict.reason)} [{verdict.reason}]")
    if verdict.stale_lists:
        parts.append(f"({stale_words(verdict.stale_lists)})")
    if verdict.subject:
        s = verdict.subject
        parts.append(f"— {s.name}, {s.id_masked}, {s.dob}")
    parts.extend(f"(! {reason_words(w)})" for w in verdict.warnings)
    return " ".join(parts)


def run(args: argparse.Namespace) -> int:
    opts = global_options(args)
    policy = policy_from_config(
        load_kiosk_config(opts.config, opts.data_dir)
    )  # clock skew, stale lists
    now = parse_time(args.at)
    trust, unreadable = load_trust_and_problems(args, opts.data_dir)
    for line in stale_warnings(freshness(trust, now, policy, unreadable), policy):
        print(line, file=sys.stderr)
    all_accepted = True
    for label, text in iter_inputs(args.inputs):
        verdict = check(text, trust, now, policy) if text is not None else None
        all_accepted &= verdict is not None and verdict.accepted
        if args.json:
            print(json.dumps(verdict_json(label, verdict), ensure_ascii=False), flush=True)
        else:
            print(verdict_line(label, verdict), flush=True)
    return EXIT_OK if all_accepted else EXIT_NOT_ACCEPTED

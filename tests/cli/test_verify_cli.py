"""`kiosk verify` as a user runs it: inputs, output shapes, exit statuses, one-line errors."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

from devportal import demo, issuer
from kiosk.cli.main import main
from verifier import TrustStore
from verifier.trust_store import write_anchor

AT = "2026-11-26T08:00:00Z"


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    demo.write(demo.build(), out)
    return out


def trust_args(d: Path) -> list[str]:
    return [
        "--anchor",
        (d / "anchor.hex").read_text().strip(),
        "--trust-list",
        str(d / "trust-list.cose"),
        "--revocations",
        str(d / "revocations.cose"),
        "--at",
        AT,
    ]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_png_round_trip_gives_every_expected_verdict(
    demo_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    manifest = json.loads((demo_dir / "manifest.json").read_text())
    images = [str(demo_dir / c["file"].replace(".txt", ".png")) for c in manifest["codes"]]
    status, out, _ = run(capsys, "verify", "--json", *trust_args(demo_dir), *images)
    lines = [json.loads(line) for line in out.splitlines()]
    assert status == 1
    assert [(x["verdict"], x["reason"]) for x in lines] == [
        (c["verdict"], c["reason"]) for c in manifest["codes"]
    ]
    assert set(lines[0]) >= {"input", "verdict", "reason", "subject"}
    assert lines[0]["subject"] == {
        "name": "Nguyễn Văn An",
        "id_masked": "********1234",
        "dob": "1990-05-17",
    }
    assert lines[4]["subject"]["name"] == "Võ Thị Thanh Hằng"  # UTF-8 byte mode read exactly
    assert lines[5]["subject"] is None


def test_all_accepted_exits_zero_with_a_readable_line(
    demo_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(
        capsys, "verify", *trust_args(demo_dir), str(demo_dir / "credentials" / "1-valid.txt")
    )
    assert status == 0
    assert "HỢP LỆ / VALID" in out and "********1234" in out and "048090001234" not in out


def test_stdin_lines_in_order(
    demo_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    valid = (demo_dir / "credentials" / "1-valid.txt").read_text()
    monkeypatch.setattr(sys, "stdin", io.StringIO(valid + "https://example.org/\r\n" + valid))
    status, out, _ = run(capsys, "verify", "--json", *trust_args(demo_dir), "-")
    lines = [json.loads(line) for line in out.splitlines()]
    assert [(x["input"], x["verdict"]) for x in lines] == [
        ("-", "accept"),
        ("-", "reject"),
        ("-", "accept"),
    ]
    assert status == 1


def test_image_with_two_codes_picks_the_credential(
    demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = cv2.imread(str(demo_dir / "credentials" / "6-url.png"), cv2.IMREAD_GRAYSCALE)
    cred = cv2.imread(str(demo_dir / "credentials" / "1-valid.png"), cv2.IMREAD_GRAYSCALE)
    canvas = np.full(
        (max(url.shape[0], cred.shape[0]), url.shape[1] + cred.shape[1] + 40), 255, np.uint8
    )
    canvas[: url.shape[0], : url.shape[1]] = url
    canvas[: cred.shape[0], url.shape[1] + 40 :] = cred
    both = tmp_path / "both.png"
    cv2.imwrite(str(both), canvas)
    status, out, _ = run(capsys, "verify", "--json", *trust_args(demo_dir), str(both))
    assert json.loads(out)["verdict"] == "accept" and status == 0


def test_image_without_a_code(
    demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blank = tmp_path / "blank.png"
    cv2.imwrite(str(blank), np.full((200, 200), 255, np.uint8))
    status, out, _ = run(capsys, "verify", "--json", *trust_args(demo_dir), str(blank))
    record = json.loads(out)
    assert (record["verdict"], record["reason"]) == ("reject", "not_a_credential")
    assert "no QR code" in record["error"] and status == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--anchor", "abc"], "--anchor: a trust anchor is 64 hex characters"),
        (["--at", "yesterday"], "--at 'yesterday' is not an ISO 8601 time"),
        (
            ["--trust-list", "/nonexistent/tl.cose"],
            "cannot read the trust list /nonexistent/tl.cose",
        ),
    ],
)
def test_setup_errors_exit_two_with_one_line(
    demo_dir: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    base = trust_args(demo_dir)
    for i in range(0, len(args), 2):
        at = base.index(args[i])
        base[at + 1] = args[i + 1]
    status, out, err = run(capsys, "verify", *base, str(demo_dir / "credentials" / "1-valid.txt"))
    assert status == 2 and out == ""
    assert message in err and err.count("\n") == 1


def test_forged_trust_list_is_a_setup_error(
    demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    forged = tmp_path / "tl.cose"
    forged.write_bytes(
        issuer.sign_trust_list(
            issuer.signing_key("evil"), version=99, issued_at=0, next_update=2**40, keys=[]
        )
    )
    args = trust_args(demo_dir)
    args[args.index("--trust-list") + 1] = str(forged)
    status, out, err = run(capsys, "verify", *args, str(demo_dir / "credentials" / "1-valid.txt"))
    assert status == 2 and out == "" and "not signed by the pinned trust anchor" in err


def test_unreadable_inputs_exit_two_before_any_output(
    demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    garbage = tmp_path / "photo.png"
    garbage.write_bytes(b"not a png")
    valid = str(demo_dir / "credentials" / "1-valid.txt")
    for bad, message in [
        (str(garbage), "not a readable image"),
        (str(tmp_path / "missing.png"), "no such file"),
        (str(demo_dir / "trust-list.cose"), "expected a .txt file or an image"),
    ]:
        status, out, err = run(capsys, "verify", *trust_args(demo_dir), valid, bad)
        assert status == 2 and out == "" and message in err


def test_uses_the_kiosks_trust_store_by_default(
    demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    valid = str(demo_dir / "credentials" / "1-valid.txt")
    status, _, err = run(capsys, "--data-dir", str(tmp_path), "verify", valid)
    assert status == 2 and "no trust anchor" in err and "pass --anchor" in err
    trust = tmp_path / "trust"
    write_anchor(trust, bytes.fromhex((demo_dir / "anchor.hex").read_text().strip()))
    store = TrustStore.open(trust)
    store.install_trust_list((demo_dir / "trust-list.cose").read_bytes())
    status, out, _ = run(capsys, "verify", "--data-dir", str(tmp_path), "--at", AT, valid)
    assert status == 0 and "VALID" in out


def test_console_script_exit_status(demo_dir: Path) -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "kiosk",
            "verify",
            "--json",
            *trust_args(demo_dir),
            str(demo_dir / "credentials" / "4-forged.txt"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 1
    assert json.loads(proc.stdout)["reason"] == "bad_signature"


def _reject_stale(tmp_path: Path) -> str:
    config = tmp_path / "reject-stale.toml"
    config.write_text('[verify]\non_stale_trust_list = "reject"\n')
    return str(config)


def test_without_a_revocation_list_revocation_is_never_a_clean_accept(
    demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = trust_args(demo_dir)
    at = args.index("--revocations")
    del args[at : at + 2]
    revoked = str(demo_dir / "credentials" / "3-revoked.txt")
    status, out, err = run(capsys, "verify", "--json", *args, revoked)
    (line,) = [json.loads(x) for x in out.splitlines()]
    # The default policy accepts stale trust data, and says which list and why.
    assert status == 0 and line["verdict"] == "accept"
    assert line["warnings"] == ["stale_trust_list"] and line["stale_lists"] == ["revocations"]
    assert "stale revocations: none held" in err and "accepted with a warning" in err
    status, out, err = run(capsys, "verify", *args, revoked)
    assert "(! " in out and "revocation not checked" in out
    # Under on_stale_trust_list = "reject": rejected, naming the list.
    status, out, err = run(capsys, "--config", _reject_stale(tmp_path), "verify", "--json",
                           *args, revoked)  # fmt: skip
    (line,) = [json.loads(x) for x in out.splitlines()]
    assert status == 1 and (line["verdict"], line["reason"]) == ("reject", "stale_trust_list")
    assert line["stale_lists"] == ["revocations"] and "rejected (stale_trust_list)" in err


def test_a_revocation_list_115_days_stale_is_named(
    demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    at = demo.LISTS_ISSUED + 25 * 86400  # AT: the trust list is fresh
    old = tmp_path / "old-revocations.cose"
    old.write_bytes(
        issuer.sign_revocations(
            issuer.signing_key("demo:anchor"), version=1, issued_at=at - 122 * 86400,
            next_update=at - 115 * 86400, revoked_ctis=[],
        )
    )  # fmt: skip
    args = trust_args(demo_dir)
    args[args.index("--revocations") + 1] = str(old)
    args[args.index("--at") + 1] = str(at)
    valid = str(demo_dir / "credentials" / "1-valid.txt")
    status, out, err = run(capsys, "--config", _reject_stale(tmp_path), "verify", *args, valid)
    assert status == 1 and "[stale_trust_list]" in out and "revocation not checked" in out
    assert "the trust list is out of date" not in out
    assert "stale revocations: version 1, past its next update" in err
    assert "stale trust_list" not in err


def test_both_lists_past_their_grace_are_both_named(
    demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The demo lists' next update is 2035-12-01 (grace: 2 days); the credential lasts longer."""
    args = trust_args(demo_dir)
    args[args.index("--at") + 1] = "2035-12-20T00:00:00Z"
    valid = str(demo_dir / "credentials" / "1-valid.txt")
    status, out, err = run(capsys, "verify", "--json", *args, valid)
    (line,) = [json.loads(x) for x in out.splitlines()]
    assert status == 0 and line["stale_lists"] == ["trust_list", "revocations"]
    assert "stale trust_list: version 1" in err and "stale revocations: version 1" in err


def test_a_damaged_revocation_file_in_the_store_is_stale_trust_data(
    demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    trust = tmp_path / "data" / "trust"
    write_anchor(trust, bytes.fromhex((demo_dir / "anchor.hex").read_text().strip()))
    store = TrustStore.open(trust)
    store.install_trust_list((demo_dir / "trust-list.cose").read_bytes())
    raw = (demo_dir / "revocations.cose").read_bytes()
    store.install_revocations(raw)
    (trust / "revocations.cose").write_bytes(raw[: len(raw) // 2])  # truncated on the card
    revoked = str(demo_dir / "credentials" / "3-revoked.txt")
    data = str(tmp_path / "data")
    status, out, err = run(capsys, "--config", _reject_stale(tmp_path), "--data-dir", data,
                           "verify", "--json", "--at", AT, revoked)  # fmt: skip
    (line,) = [json.loads(x) for x in out.splitlines()]
    assert status == 1 and line["reason"] == "stale_trust_list"
    assert line["stale_lists"] == ["revocations"]
    assert "stale revocations: unreadable" in err and "revocations.cose" in err


def test_the_configs_clock_skew_applies(
    demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The expired demo code expired on 2026-02-01T00:00Z: ten minutes later it is expired
    under the default 300 s skew, and still valid under a configured skew of an hour."""
    args = trust_args(demo_dir)
    args[args.index("--at") + 1] = "2026-02-01T00:10:00Z"
    expired = str(demo_dir / "credentials" / "2-expired.txt")
    status, out, _ = run(capsys, "verify", *args, expired)
    assert status == 1 and "[expired]" in out
    config = tmp_path / "kiosk.toml"
    config.write_text("[verify]\nclock_skew_s = 3600\n")
    status, out, _ = run(capsys, "verify", "--config", str(config), *args, expired)
    assert status == 0 and "VALID" in out

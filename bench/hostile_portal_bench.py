"""`kiosk sync` against a hostile portal: wall time and peak memory per hostile behaviour.

    python -m bench.hostile_portal_bench                  # read timeout 4 s, request deadline 12 s
    python -m bench.hostile_portal_bench --defaults       # the shipped timeouts (30 s, 60 s)
    python -m bench.hostile_portal_bench --only drip,black-hole

A kiosk is enrolled with the reference portal (in this process, on loopback), given a few
events to send, then pointed (`portal.url` in a config file) at the hostile server of
tests/sync/hostile_server.py. Each case runs `kiosk sync` as its own process on a fresh copy of
that data dir; its wall time and peak RSS (the child's ru_maxrss from wait4) are printed with
its exit status and the round's first error. The last case is `kiosk run --headless` for a few
seconds while the portal is a black hole: how long after its `--duration` the process exits.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import nacl.signing

from devportal import issuer
from devportal.issuer import write_qr_png
from devportal.server import PortalServer
from devportal.store import now_s
from kiosk.core.demo_data import load_demo
from tests.sync.hostile_server import Behaviour, HostileServer, deep_json

RSS_LIMIT_MB = 300.0
RUN_HOLD_S = 3.0
HOLE = Behaviour("black_hole")
HUGE_INT = b'{"acknowledged": [], "server_time": 1' + b"0" * 5000 + b"}"
JSON_PATHS = ("/api/v1/events", "/api/v1/heartbeat")


@dataclass(frozen=True)
class Case:
    name: str
    default: Behaviour
    json_only: bool = False  # the lists come from the real portal; only JSON answers are hostile
    routes: tuple[tuple[str, Behaviour], ...] = ()  # else these paths only; the rest relayed


def million_revocations(anchor: nacl.signing.SigningKey) -> bytes:
    """A revocation list of 1,000,000 entries (17 MB) signed by the portal's own anchor: the
    largest list the kiosk must read, verify and install."""
    ctis = [os.urandom(16) for _ in range(1_000_000)]
    return issuer.sign_revocations(
        anchor, version=99, issued_at=now_s(), next_update=now_s() + 86_400, revoked_ctis=ctis
    )


CASES = (
    Case("real-portal", Behaviour("relay")),
    Case("gzip-bomb-1GiB", Behaviour("gzip_bomb", bomb_mib=1024)),
    Case("endless-body", Behaviour("endless")),
    Case("terabyte-length", Behaviour("huge_length")),
    Case("drip-1-byte-per-s", Behaviour("drip", interval_s=1.0)),
    Case("drip-headers", Behaviour("drip_headers", interval_s=1.0)),
    Case("black-hole", HOLE),
    Case("deep-json", Behaviour("answer", body=deep_json()), json_only=True),
    Case("5000-digit-int", Behaviour("answer", body=HUGE_INT), json_only=True),
    Case("date-plus-a-day", Behaviour("relay", date_shift_s=86_400.0)),
)
BIG_LIST = "revocations-1M"  # made on demand: signing a million entries takes a few seconds


@dataclass
class Result:
    name: str
    wall_s: float
    rss_mb: float
    status: int
    first_line: str


# ru_maxrss counts what a process held before its exec, so a child forked from this process
# (which holds the hostile server's payloads) would inherit its size. A small wrapper forks the
# kiosk instead and reports the kiosk's own peak.
WRAPPER = """
import os, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
_, status, usage = os.wait4(pid, 0)
sys.stderr.write(f"\\nMAXRSS_KB {usage.ru_maxrss}\\n")
sys.exit(os.waitstatus_to_exitcode(status))
"""


def run_measured(argv: list[str], env: dict[str, str], timeout_s: float) -> Result:
    with tempfile.TemporaryFile() as out_file:
        started = time.monotonic()
        proc = subprocess.Popen(
            [sys.executable, "-c", WRAPPER, *argv],
            env=env,
            stdout=out_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # a case past its limit is killed with its wrapper
        )
        try:
            proc.wait(timeout_s)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        wall = time.monotonic() - started
        out_file.seek(0)
        out = out_file.read().decode(errors="replace")
    rss = re.search(r"MAXRSS_KB (\d+)", out)
    errors = [
        line
        for line in out.splitlines()
        if line.startswith(("error:", "Traceback")) or ": refused" in line
    ]
    lines = [x for x in out.splitlines() if x.strip() and not x.startswith("MAXRSS_KB")]
    first = errors[0] if errors else (lines or [""])[-1]
    rss_mb = int(rss.group(1)) / 1024 if rss else float("nan")
    return Result("", wall, rss_mb, proc.returncode, first[:110])


def write_config(path: Path, url: str, args: argparse.Namespace, hold_s: float = 0.2) -> None:
    lines = ["[portal]", f'url = "{url}"']
    if not args.defaults:
        lines += [f"read_timeout_s = {args.read_timeout}", f"request_deadline_s = {args.deadline}"]
    lines += ["", "[scan]", f"image_hold_s = {hold_s}", ""]
    path.write_text("\n".join(lines))


def enrol(portal: PortalServer, data: Path, env: dict[str, str]) -> None:
    code = portal.store.create_enrolment_code(now_s())
    kiosk = [sys.executable, "-m", "kiosk", "--data-dir", str(data)]
    subprocess.run(
        [*kiosk, "enroll", "--portal", portal.base_url, "--code", code, "--yes"],
        env=env,
        check=True,
        capture_output=True,
    )
    # A first round against the real portal: the lists installed, the journal created.
    subprocess.run([*kiosk, "sync"], env=env, check=True, capture_output=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--read-timeout", type=float, default=4.0)
    parser.add_argument("--deadline", type=float, default=12.0, help="portal.request_deadline_s")
    parser.add_argument("--defaults", action="store_true", help="the shipped timeouts instead")
    parser.add_argument("--only", help="comma-separated case names")
    parser.add_argument("--limit-s", type=float, default=600.0, help="kill a case after this")
    args = parser.parse_args(argv)
    wanted = set(args.only.split(",")) if args.only else None

    timing = (
        "shipped defaults"
        if args.defaults
        else (f"read timeout {args.read_timeout:g} s, request deadline {args.deadline:g} s")
    )
    print(f"kiosk sync against a hostile portal on loopback ({timing})")
    print(f"{'case':<20} {'wall s':>8} {'peak RSS MB':>12} {'exit':>5}  first error")
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="hostile-bench-") as tmp_name:
        tmp = Path(tmp_name)
        env = {k: v for k, v in os.environ.items() if k != "KIOSK_DATA_DIR"}
        with PortalServer(tmp / "portal", seed="demo") as portal:
            enrolled = tmp / "enrolled"
            enrol(portal, enrolled, env)
            upstream = ("127.0.0.1", portal.port)
            args.portal_port = portal.port
            cases = list(CASES)
            if not wanted or BIG_LIST in wanted:
                # The portal runs from the demo seed, so its anchor key can be made again here.
                anchor = issuer.signing_key("demo:anchor")
                big = Behaviour("answer", body=million_revocations(anchor), headers=())
                revocations = (("/api/v1/documents/revocations", big),)
                cases.append(Case(BIG_LIST, Behaviour("relay"), routes=revocations))
            for case in cases:
                if wanted and case.name not in wanted:
                    continue
                routes = {p: case.default for p in JSON_PATHS} if case.json_only else {}
                routes.update(case.routes)
                relayed = case.json_only or bool(case.routes)
                default = Behaviour("relay") if relayed else case.default
                data = tmp / case.name
                shutil.copytree(enrolled, data)
                with HostileServer(default, routes, upstream=upstream) as hostile:
                    config = data / "bench.toml"
                    write_config(config, hostile.base_url, args)
                    result = run_measured(
                        [sys.executable, "-m", "kiosk", "--config", str(config),
                         "--data-dir", str(data), "sync", "--quiet"],
                        env,
                        args.limit_s,
                    )  # fmt: skip
                result.name = case.name
                results.append(result)
                print(
                    f"{result.name:<20} {result.wall_s:>8.1f} {result.rss_mb:>12.0f}"
                    f" {result.status:>5}  {result.first_line}",
                    flush=True,
                )
            if not wanted or "run-exit" in wanted:
                print(run_exit_case(tmp, enrolled, env, args))
    worst = max((r.rss_mb for r in results), default=0.0)
    print(f"peak RSS, worst case: {worst:.0f} MB (limit {RSS_LIMIT_MB:.0f} MB)")
    tracebacks = [r.name for r in results if r.first_line.startswith("Traceback")]
    if tracebacks:
        print(f"tracebacks: {', '.join(tracebacks)}")
    return 0 if worst <= RSS_LIMIT_MB and not tracebacks else 1


def run_exit_case(tmp: Path, enrolled: Path, env: dict[str, str], args: argparse.Namespace) -> str:
    """`kiosk run --headless` on one image held for a few seconds, then its source is done and
    it exits: against the real portal, then while the portal never answers. The difference is
    how late a kiosk stops because of a portal it cannot reach."""
    image = tmp / "code.png"
    write_qr_png(load_demo().codes[0].text, image)
    walls = []
    for name, behaviour in (("exit-real", Behaviour("relay")), ("exit-black-hole", HOLE)):
        data = tmp / name
        shutil.copytree(enrolled, data)
        with HostileServer(behaviour, upstream=("127.0.0.1", args.portal_port)) as hostile:
            config = data / "bench.toml"
            write_config(config, hostile.base_url, args, hold_s=RUN_HOLD_S)
            result = run_measured(
                [sys.executable, "-m", "kiosk", "--config", str(config), "--data-dir", str(data),
                 "run", "--headless", "--source", f"image:{image}"],
                env,
                args.limit_s,
            )  # fmt: skip
        walls.append(result.wall_s)
    return (
        f"{'run-exit':<20} {walls[1]:>8.1f} {result.rss_mb:>12.0f} {result.status:>5}"
        f"  kiosk run --headless ({RUN_HOLD_S:g} s of scanning) exits {walls[1] - walls[0]:+.1f} s"
        f" later with the portal a black hole than with the real one ({walls[0]:.1f} s)"
    )


if __name__ == "__main__":
    raise SystemExit(main())

"""The reference portal's own commands: `serve`, `init` and `admin` (what it holds, and the
issuer's and operator's actions). Wired into `python -m devportal`."""

from __future__ import annotations

import argparse
import errno
import json
import logging
import signal
import sys
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType

from devportal.badge import MAX_HOURS
from devportal.issuer import Citizen, write_qr_png
from devportal.server import PortalServer
from devportal.store import DB_FILE, PortalStore, now_s

COMMANDS = ("serve", "init", "admin")
DEMO_CODE_USES = 1000  # the demo code enrols a fleet of simulated kiosks too
DEMO_CODE_TTL_S = 86400


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    serve = sub.add_parser("serve", help="run the reference portal over HTTP")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument("--port", type=int, default=8470, help="port (0: any free port)")
    serve.add_argument("--data", type=Path, required=True, help="the portal's data folder")
    serve.add_argument("--seed", help="make the first keys from this seed (demo: the demo set's)")
    serve.add_argument("--threads", type=int, default=8, help="request threads")
    init = sub.add_parser("init", help="create the portal's keys and first lists, then exit")
    init.add_argument("--data", type=Path, required=True)
    init.add_argument("--seed", help="make the first keys from this seed (demo: the demo set's)")

    admin = sub.add_parser("admin", help="look at and act on a portal's data (running or not)")
    admin.add_argument("--data", type=Path, required=True, help="the portal's data folder")
    act = admin.add_subparsers(dest="action", required=True)
    show = act.add_parser("show", help="devices, events, list versions, enrolment codes")
    show.add_argument("--json", action="store_true")
    code = act.add_parser("code", help="issue an enrolment code")
    code.add_argument("--uses", type=int, default=1)
    code.add_argument("--ttl", type=int, default=DEMO_CODE_TTL_S, help="seconds it stays valid")
    code.add_argument("--plain", action="store_true", help="print the code alone (for scripts)")
    code.add_argument(
        "--site", help="bind the kiosks it enrols to this site (site badges, the site bus)"
    )
    rd = act.add_parser("revoke-device", help="refuse a device's requests from now on")
    rd.add_argument("device_id")
    rc = act.add_parser("revoke-credential", help="revoke a credential by its cti (hex)")
    rc.add_argument("cti")
    rb = act.add_parser("revoke-badge", help="revoke a technician badge by its id (hex)")
    rb.add_argument("bid")
    act.add_parser("rotate-issuer", help="a new issuer key; publishes a new trust list")
    act.add_parser("publish", help="publish the trust list and revocation list again")
    mint = act.add_parser("mint", help="mint a credential with the current issuer key")
    mint.add_argument("--id", required=True, help="12-digit personal identification number")
    mint.add_argument("--name", required=True)
    mint.add_argument("--dob", required=True, help="YYYY-MM-DD (or YYYY-MM, YYYY)")
    mint.add_argument("--sex", required=True, choices=("M", "F"))
    mint.add_argument("--days", type=int, default=365, help="valid for this many days")
    mint.add_argument("--png", type=Path, help="also write the QR image here")
    badge = act.add_parser("badge", help="issue a technician badge QR (docs/technician-badge.md)")
    place = badge.add_mutually_exclusive_group(required=True)
    place.add_argument("--device", help="the kiosk it opens (its device id, kd-…)")
    place.add_argument("--site", help="or every kiosk enrolled with a code bound to this site")
    badge.add_argument("--name", required=True, help="the technician's id (journaled as operator)")
    badge.add_argument(
        "--hours", type=float, default=8.0, help=f"valid for this long (at most {MAX_HOURS})"
    )
    badge.add_argument("--out", type=Path, help="also write the QR image here")


def run(args: argparse.Namespace) -> int:
    if args.command == "serve":
        return _serve(args)
    if args.command == "init":
        store = PortalStore(args.data)
        store.initialise(args.seed, now_s())
        print(f"Portal data in {args.data}; anchor fingerprint {store.anchor_fingerprint()}")
        store.close()
        return 0
    return _admin(args)


def _serve(args: argparse.Namespace) -> int:
    # waitress warns on every queued request; under a fleet that is the normal case.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    try:
        server = PortalServer(
            args.data, host=args.host, port=args.port, threads=args.threads, seed=args.seed
        )
    except OSError as e:  # the port is taken (or not ours to listen on): one line, status 2
        if e.errno not in (errno.EADDRINUSE, errno.EACCES, errno.EADDRNOTAVAIL):
            raise
        print(f"devportal serve: cannot listen on {args.host}:{args.port}: {e.strerror or e}",
              file=sys.stderr)  # fmt: skip
        return 2
    demo = args.seed is not None  # keys anyone who knows the seed can make again

    def on_signal(signum: int, frame: FrameType | None) -> None:
        server.request_stop()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    print(f"Reference portal at {server.base_url}  (API {server.api_url})")
    print(f"Trust anchor fingerprint: {server.store.anchor_fingerprint()}")
    if demo:
        # A code for a fleet, printed on every start: only where the keys are public anyway.
        code = server.store.create_enrolment_code(
            now_s(), ttl_s=DEMO_CODE_TTL_S, uses=DEMO_CODE_USES
        )
        print(f"DEMO: keys made from the seed {args.seed!r}; never enrol a real kiosk here.")
        print(f"Enrolment code: {code}  (valid 24 h, {DEMO_CODE_USES} kiosks)")
        print(f"  kiosk enroll --portal {server.base_url} --code {code}", flush=True)
    else:
        print(f"Enrolment codes: python -m devportal admin --data {args.data} code", flush=True)
    server.serve_forever()
    return 0


def _admin(args: argparse.Namespace) -> int:
    if not (args.data / DB_FILE).is_file():
        print(
            f"No portal in {args.data}: run `python -m devportal init` or `serve` first.",
            file=sys.stderr,
        )
        return 2
    store = PortalStore(args.data)
    try:
        if not store.initialised:
            print(
                f"No portal in {args.data}: run `python -m devportal init` or `serve` first.",
                file=sys.stderr,
            )
            return 2
        return _act(store, args)
    finally:
        store.close()


def _when(ts: int | None) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d %H:%M:%SZ") if ts else "-"


def _act(store: PortalStore, args: argparse.Namespace) -> int:
    now = now_s()
    if args.action == "show":
        summary = store.summary()
        if args.json:
            print(json.dumps(summary, indent=1, ensure_ascii=False))
            return 0
        docs = summary["documents"]
        print(f"Trust anchor fingerprint: {summary['anchor_fingerprint']}")
        print(f"Trust list v{docs['trust-list']}, revocation list v{docs['revocations']}")
        print(
            f"Events stored: {summary['events']} (duplicates refused: "
            f"{summary['duplicates_suppressed']})"
        )
        print(f"Devices: {len(summary['devices'])}")
        for d in summary["devices"]:
            state = f"revoked {_when(d['revoked'])}" if d["revoked"] else "active"
            hb = d["heartbeat"] or {}
            print(
                f"  {d['device_id']}  {d['name'] or '-'} @ {d['site'] or '-'}  {state}"
                f"  events {d['events']}  last seen {_when(d['last_seen'])}"
                f"  backlog {hb.get('backlog', '-')}  trust v{hb.get('trust_list_version', '-')}"
            )
            for f in d["chain_flags"]:
                print(
                    f"    CHAIN {f['kind']}: {f['detail']}  (×{f['count']},"
                    f" last {_when(f['last'])})"
                )
        for c in summary["enrolment_codes"]:
            print(f"  code {c['code']}  expires {_when(c['expires'])}  uses left {c['uses_left']}")
    elif args.action == "code":
        code = store.create_enrolment_code(now, ttl_s=args.ttl, uses=args.uses, site=args.site)
        if args.plain:
            print(code)
            return 0
        print(f"Enrolment code: {code}  (expires {_when(now + args.ttl)}, {args.uses} use(s))")
        print(f"Trust anchor fingerprint: {store.anchor_fingerprint()}")
    elif args.action == "revoke-device":
        if not store.revoke_device(args.device_id, now):
            print(f"No active device {args.device_id}", file=sys.stderr)
            return 1
        print(f"Device {args.device_id} revoked")
    elif args.action == "revoke-credential":
        doc = store.revoke_credential(bytes.fromhex(args.cti), now)
        print(f"Revoked; published revocation list v{doc.version}")
    elif args.action == "revoke-badge":
        revoked = store.revoke_badge(bytes.fromhex(args.bid), now)
        if revoked is None:
            print(f"No unrevoked badge {args.bid}", file=sys.stderr)
            return 1
        print(f"Badge revoked; published revocation list v{revoked.version}")
    elif args.action == "rotate-issuer":
        doc = store.rotate_issuer(now)
        print(f"New issuer key; published trust list v{doc.version}")
    elif args.action == "publish":
        t, r = store.publish_trust_list(now), store.publish_revocations(now)
        print(f"Published trust list v{t.version}, revocation list v{r.version}")
    elif args.action == "mint":
        text, cti = store.mint(
            Citizen(args.id, args.name, args.dob, args.sex), now, valid_s=args.days * 86400
        )
        print(text)
        print(f"cti: {cti.hex()}", file=sys.stderr)
        if args.png:
            write_qr_png(text, args.png)
            print(f"QR image: {args.png}", file=sys.stderr)
    elif args.action == "badge":
        return _badge(store, args, now)
    return 0


def _badge(store: PortalStore, args: argparse.Namespace, now: int) -> int:
    try:
        text, bid = store.issue_badge(
            args.name, device=args.device, site=args.site, now=now, hours=args.hours
        )
    except ValueError as e:
        print(f"No badge: {e}", file=sys.stderr)
        return 2
    print(text)
    place = f"device {args.device}" if args.device is not None else f"site {args.site}"
    until = _when(now + round(args.hours * 3600))
    print(f"Badge {bid.hex()} for {args.name} at {place}, valid until {until}", file=sys.stderr)
    if args.out:
        write_qr_png(text, args.out)
        print(f"QR image: {args.out}", file=sys.stderr)
    return 0

"""`kiosk enroll`: register this kiosk with a portal using the technician's enrolment code."""

from __future__ import annotations

import argparse
import sys

from kiosk.cli.common import (
    EXIT_NOT_ACCEPTED,
    EXIT_OK,
    UsageError,
    global_options,
    load_kiosk_config,
)
from kiosk.core.paths import trust_dir
from kiosk.core.site.secret import read_site_secret
from kiosk.core.sync.setup import open_client
from kiosk.core.trust.anchor import demo_anchor_warning
from portal_sync.enrolment import request_enrolment, seal_key_path
from portal_sync.errors import EnrolmentRefused, Rejected, SyncError

NAME = "enroll"
HELP = "enrol this kiosk with the portal (device key, trust anchor, sealing key)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--portal", metavar="URL", help="the portal's base URL (default: portal.url)")
    p.add_argument("--code", required=True, help="the enrolment code given by the portal")
    p.add_argument("--yes", action="store_true", help="accept the anchor without asking (scripts)")
    p.add_argument("--name", help="this kiosk's name (default: kiosk.name)")
    p.add_argument("--site", help="this kiosk's site code (default: kiosk.site)")
    p.add_argument(
        "--replace-anchor",
        action="store_true",
        help="replace a different trust anchor this kiosk already holds",
    )


def _confirm(fingerprint: str) -> bool:
    print(f"Dấu vân tay khóa gốc / Trust anchor fingerprint:  {fingerprint}")
    print("So với dấu vân tay in kèm mã đăng ký. / Compare it with the one printed with the code.")
    if not sys.stdin.isatty():
        print("Not a terminal: pass --yes after checking the fingerprint.", file=sys.stderr)
        return False
    answer = input("Khớp? / Does it match? [y/N] ").strip().lower()
    return answer in ("y", "yes", "c", "có", "co")


def run(args: argparse.Namespace) -> int:
    opts = global_options(args)
    config = load_kiosk_config(opts.config, opts.data_dir)
    url = args.portal or config.portal.url
    if not url:
        raise UsageError("give --portal URL (or set portal.url)")
    name = args.name if args.name is not None else config.kiosk.name
    site = args.site if args.site is not None else config.kiosk.site
    try:
        with open_client(config, url) as client:
            offer = request_enrolment(client, args.code, name=name, site=site)
    except EnrolmentRefused as e:
        print(f"kiosk enroll: the portal refused the code ({e.code}): {e}", file=sys.stderr)
        return EXIT_NOT_ACCEPTED
    except SyncError as e:
        raise UsageError(f"enrolment failed: {e}") from None
    print(f"Portal: {offer.portal_url}")
    demo_warning = demo_anchor_warning(offer.anchor)
    if demo_warning:
        print(f"WARNING: {demo_warning}", file=sys.stderr)
    if args.yes:
        print(f"Trust anchor fingerprint: {offer.anchor_fingerprint}")
    elif not _confirm(offer.anchor_fingerprint):
        print("Not enrolled: the fingerprint was not confirmed. Nothing was written.")
        return EXIT_NOT_ACCEPTED
    try:
        # Only now, under the confirmed anchor, is the enrolment document verified.
        identity = offer.commit(
            opts.data_dir, trust_dir(opts.data_dir), replace_anchor=args.replace_anchor
        )
    except Rejected as e:
        if e.code.startswith("enrolment_"):
            print(f"kiosk enroll: not enrolled ({e.code}): {e}", file=sys.stderr)
            return EXIT_NOT_ACCEPTED
        raise UsageError(str(e)) from None
    except OSError as e:
        raise UsageError(f"cannot write the enrolment into {opts.data_dir}: {e}") from None
    print(f"Enrolled as device {identity.device_id}" + (
        f" at site {identity.site}." if identity.site else "."))  # fmt: skip
    print(f"The portal's sealing key is in {seal_key_path(opts.data_dir)}.")
    if read_site_secret(opts.data_dir) is not None:
        print("It holds its site's pseudonym secret: with site.broker_url set it is a lane of the"
              " site bus (docs/site.md).")  # fmt: skip
    print("Run `kiosk sync` to fetch the trust list and revocation list.")
    return EXIT_OK

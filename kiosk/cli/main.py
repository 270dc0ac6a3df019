"""Entry point of the `kiosk` command: builds the parser from the subcommand modules."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from types import ModuleType

import cv2

from kiosk import __version__
from kiosk.cli import (
    config_cmd,
    decode_cmd,
    enroll_cmd,
    journal_cmd,
    run_cmd,
    selftest_cmd,
    site_cmd,
    sync_cmd,
    technician_cmd,
    verify_cmd,
)
from kiosk.cli.common import EXIT_USAGE, UsageError, add_global_options
from kiosk.core.paths import private_files

# Each module has NAME, HELP, add_arguments(parser) and run(args) -> exit status.
SUBCOMMANDS: tuple[ModuleType, ...] = (
    verify_cmd,
    decode_cmd,
    run_cmd,
    config_cmd,
    enroll_cmd,
    sync_cmd,
    site_cmd,
    journal_cmd,
    selftest_cmd,
    technician_cmd,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kiosk", description="Gate-check kiosk for Công dân số QR credentials."
    )
    parser.add_argument("--version", action="version", version=f"kiosk {__version__}")
    add_global_options(parser, subcommand=False)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in SUBCOMMANDS:
        p = sub.add_parser(module.NAME, help=module.HELP, description=module.HELP)
        module.add_arguments(p)
        add_global_options(p, subcommand=True)
        p.set_defaults(run=module.run)
    return parser


def quiet_libraries() -> None:
    """Our own messages name each problem in one line; the libraries' retries and decoder
    warnings underneath would bury them (each failure still surfaces through our errors)."""
    logging.getLogger("urllib3").setLevel(logging.ERROR)
    cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_ERROR)


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    quiet_libraries()
    args = build_parser().parse_args(argv)
    try:
        with private_files():
            status: int = args.run(args)
    except UsageError as e:
        print(f"kiosk {args.command}: {e}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    return status


if __name__ == "__main__":
    sys.exit(main())

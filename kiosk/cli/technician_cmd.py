"""`kiosk technician`: what only someone with the device's files may do.

- `set-pin`: the technician PIN. A fresh kiosk has none, and its screen never offers to choose
  one (at a gate, whoever pressed ⚙ first would be the public): the install script runs this
  command, and it also replaces a forgotten PIN. The PIN is checked against the rule as soon as
  it is typed, before it is asked again; the change is journaled before it takes effect.
- `handoff-token`: the token the counter's own software presents to the loopback hand-off.

Interactive, the PIN is read without echo; from a pipe, one line per answer (install scripts).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Mapping

from kiosk.cli.common import (
    EXIT_OK,
    UsageError,
    add_global_options,
    global_options,
    load_kiosk_config,
)
from kiosk.core.counter.handoff import handoff_token, token_path
from kiosk.core.journal import Journal, JournalError
from kiosk.core.journal.records import Action, DetailValue
from kiosk.core.paths import private_data_dir
from kiosk.core.sync.device_id import kiosk_id
from kiosk.core.technician.pin import (
    PIN_MAX,
    PIN_MIN,
    PinRuleError,
    PinVault,
    TechnicianError,
    check_pin_rules,
)

NAME = "technician"
HELP = "set the technician PIN; print the counter hand-off token"
TRIES = 3


def add_arguments(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="technician_action", required=True, metavar="ACTION")
    pin = sub.add_parser(
        "set-pin",
        help=f"set (or replace) the technician PIN, {PIN_MIN} to {PIN_MAX} digits",
        description="Set the PIN the screen's technician door (⚙) asks for, or replace a "
        "forgotten one. Run it as the kiosk's user (the installed `kiosk` command does).",
    )
    token = sub.add_parser(
        "handoff-token", help="print the token for the counter's software (counter.handoff)"
    )
    for action in (pin, token):
        add_global_options(action, subcommand=True)


def _ask(prompt: str) -> str:
    if sys.stdin.isatty():
        return getpass.getpass(prompt)
    print(prompt, end="", file=sys.stderr, flush=True)
    line = sys.stdin.readline()
    if not line:
        raise UsageError("no PIN given (end of input)")
    return line.rstrip("\r\n")


def read_new_pin() -> str:
    """A PIN that keeps the rule, typed twice; the rule is checked on the first entry."""
    for _ in range(TRIES):
        pin = _ask(f"New technician PIN ({PIN_MIN} to {PIN_MAX} digits): ")
        try:
            check_pin_rules(pin)
        except PinRuleError as e:
            print(f"Not a valid PIN: {e}.", file=sys.stderr)
            continue
        if _ask("The same PIN again: ") == pin:
            return pin
        print("The two PINs differ; start again.", file=sys.stderr)
    raise UsageError(f"no PIN set after {TRIES} tries")


def run(args: argparse.Namespace) -> int:
    opts = global_options(args)
    if args.technician_action == "handoff-token":
        try:
            print(handoff_token(opts.data_dir))
        except (OSError, ValueError) as e:
            raise UsageError(f"{token_path(opts.data_dir)}: {e}") from None
        return EXIT_OK
    config = load_kiosk_config(opts.config, opts.data_dir)
    pin = read_new_pin()
    private_data_dir(opts.data_dir)
    try:
        # A tool's moment with the journal is no kiosk start: no "opened" row, the enrolled id.
        journal = Journal.open(
            opts.data_dir, config, kiosk_id=kiosk_id(config, opts.data_dir), announce=False
        )
    except JournalError as e:
        raise UsageError(f"the journal cannot record it, so no PIN was set: {e}") from None
    with journal:

        def report(action: Action, detail: Mapping[str, DetailValue]) -> None:
            journal.record_system(action, detail, operator="technician")

        try:
            replaced = PinVault(opts.data_dir, report).replace_pin(pin)
        except (TechnicianError, OSError) as e:  # JournalDown: not on record, so not set
            raise UsageError(f"no PIN set: {e}") from None
    if replaced:
        print("PIN replaced: the technician door (⚙) opens with the new PIN; failures cleared.")
    else:
        print("PIN set: the technician door (⚙) now opens with it.")
    return EXIT_OK

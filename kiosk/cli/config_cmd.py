"""`kiosk config`: the effective settings and where each came from, or check a file."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from kiosk.cli.common import (
    EXIT_OK,
    UsageError,
    add_global_options,
    global_options,
    load_kiosk_config,
)
from kiosk.core.config import SETTINGS, ConfigError, read_file
from kiosk.core.config.template import render_default, toml_value

NAME = "config"
HELP = "show the effective config, check a config file, or print the commented default"


def add_arguments(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="config_action", required=True, metavar="ACTION")
    show = sub.add_parser("show", help="every setting's effective value and where it came from")
    show.add_argument("--json", action="store_true", help="one JSON object")
    check = sub.add_parser("check", help="check a config file; exit 2 naming the key and line")
    check.add_argument("file", type=Path, metavar="FILE")
    default = sub.add_parser("default", help="print the default config, every key commented")
    for action in (show, check, default):
        add_global_options(action, subcommand=True)


def run(args: argparse.Namespace) -> int:
    if args.config_action == "default":
        print(render_default(), end="")
        return EXIT_OK
    if args.config_action == "check":
        try:
            values = read_file(args.file)
        except ConfigError as e:
            raise UsageError(str(e)) from None
        print(f"{args.file}: OK ({len(values)} settings)")
        return EXIT_OK
    opts = global_options(args)
    config = load_kiosk_config(opts.config, opts.data_dir)
    if args.json:
        shown = {s.key: {"value": config.value_of(s.key), "from": config.sources[s.key]}
                 for s in SETTINGS}  # fmt: skip
        print(json.dumps(shown, ensure_ascii=False, indent=2))
        return EXIT_OK
    width = max(len(s.key) for s in SETTINGS)
    for s in SETTINGS:
        value = toml_value(config.value_of(s.key))
        print(f"{s.key:{width}} = {value:30} # {config.sources[s.key]}")
    return EXIT_OK

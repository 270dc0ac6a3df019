"""What every subcommand shares: global options, exit codes, and usage errors."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

from kiosk.core.config import Config, ConfigError, load_config
from kiosk.core.paths import default_data_dir

EXIT_OK = 0
EXIT_NOT_ACCEPTED = 1
EXIT_USAGE = 2


class UsageError(Exception):
    """A usage or setup problem: printed as one line, exit status 2."""


@dataclass(frozen=True)
class GlobalOptions:
    config: Path | None
    data_dir: Path


def add_global_options(parser: argparse.ArgumentParser, *, subcommand: bool) -> None:
    """Accepted before and after the subcommand; a subcommand's copy must not reset the other."""
    default = argparse.SUPPRESS if subcommand else None
    group = parser.add_argument_group("global options")
    group.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        default=default,
        help="the kiosk's config file (TOML)",
    )
    group.add_argument(
        "--data-dir",
        type=Path,
        metavar="DIR",
        default=default,
        help="where the trust store, journal and keys live (default: $KIOSK_DATA_DIR or the "
        "per-user data directory)",
    )


def global_options(args: argparse.Namespace) -> GlobalOptions:
    return GlobalOptions(config=args.config, data_dir=args.data_dir or default_data_dir())


def load_kiosk_config(config_file: Path | None, data_dir: Path) -> Config:
    """The effective config (with the settings saved on the kiosk, in its data dir), or a usage
    error naming the key, the file and the line."""
    try:
        return load_config(config_file, data_dir=data_dir)
    except ConfigError as e:
        raise UsageError(str(e)) from None
